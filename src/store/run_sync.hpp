#pragma once
// Runs an awaitable to completion on a private io_context, for callers without one (a plain
// main(), the migrate CLI, tests). Rethrows the awaitable's exception.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <type_traits>

#include "store/database.hpp"

namespace parley::store {

// On `io`, which the caller keeps between calls (and runs nowhere else meanwhile): what a
// backend keeps per io_context (PostgreSQL: its read connection) then lasts from one call to the
// next, e.g. for a thread that polls every second.
template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> task) {
  io.restart();
  std::exception_ptr error;
  using Slot = std::conditional_t<std::is_void_v<T>, bool, std::optional<T>>;
  Slot result{};
  auto wrapper = [&]() -> asio::awaitable<void> {
    try {
      if constexpr (std::is_void_v<T>) co_await std::move(task);
      else result.emplace(co_await std::move(task));
    } catch (...) {
      error = std::current_exception();
    }
  };
  asio::co_spawn(io, wrapper(), asio::detached);
  io.run();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// On a private io_context, gone after the call.
template <class T>
T run_sync(asio::awaitable<T> task) {
  asio::io_context io;
  return run_sync(io, std::move(task));
}

}  // namespace parley::store
