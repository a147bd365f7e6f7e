// The PostgreSQL implementation of store::Database: reads on a pipelined non-blocking connection
// owned by the calling I/O thread (an Asio service of its io_context, closed with it), writes
// through the group-commit writer thread.
#include <libpq-fe.h>
#include <netdb.h>
#include <sys/socket.h>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include <atomic>
#include <map>
#include <unordered_map>

#include "store/postgres.hpp"
#include "store/postgres/async_connection.hpp"
#include "store/postgres/pg_values.hpp"
#include "store/postgres/writer.hpp"
#include "store/store_metrics.hpp"

namespace parley::store {
namespace {

using Clock = std::chrono::steady_clock;
std::atomic<std::uint64_t> next_database_id{1};

// The read connections of one io_context, one per database; touched only on that context's thread.
class ReaderService final : public asio::execution_context::service {
 public:
  using key_type = ReaderService;
  static inline asio::execution_context::id id;
  explicit ReaderService(asio::execution_context& ctx) : service(ctx) {}

  std::shared_ptr<pg::AsyncConnection> get(std::uint64_t database, asio::io_context& io, const std::string& conninfo) {
    auto& conn = conns_[database];
    if (!conn) conn = std::make_shared<pg::AsyncConnection>(io, conninfo);
    return conn;
  }

 private:
  void shutdown() override {
    for (auto& [db, conn] : conns_) conn->shutdown();
    conns_.clear();
  }
  std::unordered_map<std::uint64_t, std::shared_ptr<pg::AsyncConnection>> conns_;
};

std::string quote(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The URL as a key=value connection string with Parley's defaults for what it leaves out, and the
// host resolved once here (libpq would resolve it with a blocking call at every connect).
std::string conninfo_for(const PostgresOptions& o) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(o.url.c_str(), &err);
  if (opts == nullptr) {
    std::string why = err ? err : "malformed";
    if (err) PQfreemem(err);
    throw Error(Error::Kind::other, "bad --database URL: " + why);
  }
  std::map<std::string, std::string> kv;
  for (PQconninfoOption* p = opts; p->keyword != nullptr; ++p)
    if (p->val != nullptr && *p->val != '\0') kv[p->keyword] = p->val;
  PQconninfoFree(opts);
  kv.try_emplace("application_name", "parley");
  kv.try_emplace("connect_timeout", "5");
  kv.try_emplace("keepalives", "1");
  kv.try_emplace("keepalives_idle", "10");
  kv.try_emplace("keepalives_interval", "5");
  kv.try_emplace("keepalives_count", "3");
  if (!kv.contains("options"))
    kv["options"] = fmt::format("-c statement_timeout={} -c idle_in_transaction_session_timeout=60000",
                                o.statement_timeout.count());
  const auto host = kv.find("host");
  if (host != kv.end() && !kv.contains("hostaddr") && !host->second.starts_with('/') &&
      host->second.find(',') == std::string::npos) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host->second.c_str(), nullptr, &hints, &res) == 0 && res != nullptr) {
      char buf[NI_MAXHOST];
      if (::getnameinfo(res->ai_addr, res->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0)
        kv["hostaddr"] = buf;
      ::freeaddrinfo(res);
    }
  }
  std::string out;
  for (const auto& [k, v] : kv) out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, quote(v));
  return out;
}

class PgDatabase final : public Database {
 public:
  PgDatabase(const PostgresOptions& options, metrics::Registry& registry)
      : conninfo_(conninfo_for(options)),
        metrics_(registry, "postgres", options.slow_threshold),
        writer_(conninfo_, options.max_batch, metrics_) {}

  ~PgDatabase() override { close(); }

  asio::awaitable<Rows> read(std::string_view op, std::string_view sql, std::vector<Value> params) override {
    const auto start = Clock::now();
    if (closed_) throw Error(Error::Kind::closed, "the store is closed");
    Rows rows;
    try {
      auto ex = co_await asio::this_coro::executor;
      asio::execution_context& ctx = asio::query(ex, asio::execution::context);
      auto conn = asio::use_service<ReaderService>(ctx).get(id_, static_cast<asio::io_context&>(ctx), conninfo_);
      rows = co_await conn->query(sql, std::move(params));
    } catch (const Error&) {
      metrics_.op_done(op, StoreMetrics::OpKind::read, Clock::now() - start, true);
      throw;
    }
    metrics_.op_done(op, StoreMetrics::OpKind::read, Clock::now() - start, false);
    co_return rows;
  }

  asio::awaitable<bool> ping() override {
    if (closed_ || !writer_.running()) co_return false;
    bool ok = false;
    try {
      Rows rows = co_await read("ping", "SELECT 1", std::vector<Value>{});
      ok = rows.size() == 1;
    } catch (const std::exception&) {
      ok = false;
    }
    co_return ok;
  }

  std::string_view backend() const override { return "postgres"; }
  bool storage_full() const override { return writer_.full(); }

  void close() override {
    closed_ = true;
    writer_.close();
  }

 protected:
  void submit(detail::WriteJob job) override { writer_.submit(std::move(job)); }

 private:
  const std::uint64_t id_ = next_database_id++;
  std::string conninfo_;
  StoreMetrics metrics_;
  pg::Writer writer_;
  std::atomic<bool> closed_{false};
};

}  // namespace

std::unique_ptr<Database> open_postgres(const PostgresOptions& options, metrics::Registry& registry) {
  return std::make_unique<PgDatabase>(options, registry);
}

std::optional<std::string> postgres_url_error(std::string_view url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(std::string(url).c_str(), &err);
  if (opts != nullptr) {
    PQconninfoFree(opts);
    return std::nullopt;
  }
  std::string why = err ? err : "malformed";
  if (err) PQfreemem(err);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return why;
}

}  // namespace parley::store
