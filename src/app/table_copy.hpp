#pragma once
// Copying a table between two stores, and summing a table up the same way on any backend (to
// verify a copy), through store::Database only: rows read in primary-key order, in batches
// (keyset pagination), written in batches through Database::write.
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "app/data_tables.hpp"
#include "store/database.hpp"

namespace parley::app {

struct TableSummary {
  std::int64_t rows = 0;  // count(*)
  std::int64_t read = 0;  // rows read back in key order (equal to rows, unless some could not be)
  std::string checksum;   // order-independent digest of every row read: each value's type and bytes
  bool operator==(const TableSummary&) const = default;
};

boost::asio::awaitable<TableSummary> summarize_table(store::Database& db, const TableSpec& table, std::size_t batch);
boost::asio::awaitable<bool> table_is_empty(store::Database& db, const TableSpec& table);

// Copies every row of `table` from `from` into `to`, `batch` rows per write, calling
// progress(rows copied so far) after each batch. Returns how many rows it copied.
boost::asio::awaitable<std::int64_t> copy_table(store::Database& from, store::Database& to, const TableSpec& table,
                                                std::size_t batch, const std::function<void(std::int64_t)>& progress);

}  // namespace parley::app
