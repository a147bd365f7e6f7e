#include "app/table_copy.hpp"

#include "core/encoding.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <variant>

namespace parley::app {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::size_t> key_positions(const TableSpec& t) {
  std::vector<std::size_t> out;
  for (const auto& k : t.key) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), k);
    if (it == t.columns.end()) throw std::logic_error("table " + t.name + ": key column " + k + " is not a column");
    out.push_back(static_cast<std::size_t>(it - t.columns.begin()));
  }
  if (out.empty()) throw std::logic_error("table " + t.name + " has no key");
  return out;
}

// SELECT the columns, after the key of the last row read when `after` (keyset pagination:
// "WHERE (k1, k2) > ($1, $2)", which both SQLite and PostgreSQL evaluate), in key order.
std::string select_sql(const TableSpec& t, bool after, std::size_t batch) {
  std::string sql = "SELECT " + joined(t.columns) + " FROM " + t.name;
  if (after) {
    std::string placeholders;
    for (std::size_t i = 0; i < t.key.size(); ++i) placeholders += (i ? ", $" : "$") + std::to_string(i + 1);
    sql += t.key.size() == 1 ? " WHERE " + t.key[0] + " > " + placeholders
                             : " WHERE (" + joined(t.key) + ") > (" + placeholders + ")";
  }
  return sql + " ORDER BY " + joined(t.key) + " LIMIT " + std::to_string(batch);
}

std::string insert_sql(const TableSpec& t) {
  std::string placeholders;
  for (std::size_t i = 0; i < t.columns.size(); ++i) placeholders += (i ? ", $" : "$") + std::to_string(i + 1);
  return "INSERT INTO " + t.name + " (" + joined(t.columns) + ") VALUES (" + placeholders + ")";
}

// The next batch of rows after `last` (the first batch without it).
boost::asio::awaitable<store::Rows> next_batch(store::Database& db, const TableSpec& t, const store::Row* last,
                                               std::size_t batch) {
  std::vector<store::Value> params;
  if (last)
    for (const auto i : key_positions(t)) params.push_back(last->value(i));
  const std::string sql = select_sql(t, last != nullptr, batch);
  store::Rows rows = co_await db.read("migrate_data.read", sql, std::move(params));
  co_return rows;
}

void append_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// One row's values, unambiguously: per value its type, then its bytes (length first).
std::string encode_row(const store::Row& r) {
  std::string out;
  for (const auto& v : r.values()) {
    out.push_back(static_cast<char>('0' + v.index()));
    std::visit(
        [&out](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::int64_t>) append_u64(out, static_cast<std::uint64_t>(x));
          else if constexpr (std::is_same_v<T, double>) append_u64(out, std::bit_cast<std::uint64_t>(x));
          else if constexpr (std::is_same_v<T, std::string>) {
            append_u64(out, x.size());
            out += x;
          } else if constexpr (std::is_same_v<T, store::Blob>) {
            append_u64(out, x.size());
            out.append(reinterpret_cast<const char*>(x.data()), x.size());
          }
        },
        v);
  }
  return out;
}

// Sums of the rows' digests (two 64-bit lanes): the same whatever order the rows come in (text
// keys sort differently under PostgreSQL's collation than under SQLite's).
struct RowDigestSum {
  std::array<std::uint64_t, 2> lanes{};
  void add(const store::Row& r) {
    const auto d = encoding::digest(encode_row(r));
    for (std::size_t lane = 0; lane < 2; ++lane) {
      std::uint64_t v = 0;
      for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(d[lane * 8 + i]) << (8 * i);
      lanes[lane] += v;
    }
  }
  std::string hex() const {
    std::string bytes;
    for (const auto v : lanes) append_u64(bytes, v);
    return encoding::hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  }
};

}  // namespace

boost::asio::awaitable<TableSummary> summarize_table(store::Database& db, const TableSpec& table, std::size_t batch) {
  TableSummary out;
  const std::string count_sql = "SELECT count(*) FROM " + table.name;
  const store::Rows count = co_await db.read("migrate_data.count", count_sql);
  out.rows = count.front().int64(0);
  RowDigestSum sum;
  std::optional<store::Row> last;
  for (;;) {
    store::Rows rows = co_await next_batch(db, table, last ? &*last : nullptr, batch);
    for (const auto& r : rows) sum.add(r);
    out.read += static_cast<std::int64_t>(rows.size());
    if (rows.size() < batch) break;
    last = std::move(rows.back());
  }
  out.checksum = sum.hex();
  co_return out;
}

boost::asio::awaitable<bool> table_is_empty(store::Database& db, const TableSpec& table) {
  const std::string sql = "SELECT 1 FROM " + table.name + " LIMIT 1";
  const store::Rows rows = co_await db.read("migrate_data.empty", sql);
  co_return rows.empty();
}

boost::asio::awaitable<std::int64_t> copy_table(store::Database& from, store::Database& to, const TableSpec& table,
                                                std::size_t batch, const std::function<void(std::int64_t)>& progress) {
  const std::string insert = insert_sql(table);
  std::int64_t copied = 0;
  std::optional<store::Row> last;
  for (;;) {
    store::Rows rows = co_await next_batch(from, table, last ? &*last : nullptr, batch);
    if (rows.empty()) break;
    co_await to.write("migrate_data.write", [&](store::Tx& tx) {
      for (const auto& r : rows) tx.exec(insert, std::span<const store::Value>(r.values()));
    });
    copied += static_cast<std::int64_t>(rows.size());
    progress(copied);
    if (rows.size() < batch) break;
    last = std::move(rows.back());
  }
  co_return copied;
}

}  // namespace parley::app
