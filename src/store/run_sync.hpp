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

template <class T>
T run_sync(asio::awaitable<T> task) {
  asio::io_context io;
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

}  // namespace parley::store
