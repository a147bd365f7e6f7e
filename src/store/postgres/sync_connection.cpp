#include "store/postgres/sync_connection.hpp"

#include <poll.h>

#include <fmt/format.h>

#include <memory>

#include "store/dialect.hpp"
#include "store/postgres/pg_values.hpp"

namespace parley::store::pg {
namespace {

// The client's own bound on one round trip: beyond the server's statement_timeout, a server that
// stopped answering altogether (a lost network, a frozen host).
constexpr int kRoundTripTimeoutMs = 30'000;

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

}  // namespace

SyncConnection::SyncConnection(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    Error e = connection_error(conn_, "cannot connect to PostgreSQL");
    PQfinish(conn_);
    conn_ = nullptr;
    throw e;
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);  // "already exists, skipping" and the like
  if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1) {
    Error e = connection_error(conn_, "cannot enter pipeline mode");
    PQfinish(conn_);
    conn_ = nullptr;
    throw e;
  }
}

SyncConnection::~SyncConnection() {
  if (conn_) PQfinish(conn_);
}

bool SyncConnection::ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void SyncConnection::lost(std::string_view what) {
  prepared_.clear();
  queued_.clear();
  throw connection_error(conn_, what);
}

void SyncConnection::queue(std::string_view sql) { queued_.emplace_back(sql); }

void SyncConnection::flush() {
  if (queued_.empty()) return;
  round_trip({}, {}, false);
}

Rows SyncConnection::exec(std::string_view sql, std::span<const Value> params) {
  if (params.empty() && is_script(sql)) {
    flush();
    return run_script(sql);
  }
  Result r(round_trip(sql, params, true));
  changes_ = changed_rows(r.get());
  return to_rows(r.get());
}

PGresult* SyncConnection::round_trip(std::string_view sql, std::span<const Value> params, bool has_statement) {
  if (!ok()) lost("the connection to PostgreSQL was lost");
  // What was sent, in order: each gives one result (then a null), then the pipeline's sync.
  enum class Sent { queued, prepare, statement };
  std::vector<Sent> sent;
  std::string failed_prepare;
  for (const std::string& q : queued_) {
    if (PQsendQueryParams(conn_, q.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) lost("cannot send");
    sent.push_back(Sent::queued);
  }
  queued_.clear();
  std::string sql_text;
  std::unique_ptr<BoundParams> bound;
  if (has_statement) {
    bound = std::make_unique<BoundParams>(params);
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = fmt::format("p{}", ++prepared_count_);
      sql_text = dialect::for_postgres(sql);
      if (PQsendPrepare(conn_, name.c_str(), sql_text.c_str(), bound->count(), bound->types()) != 1) lost("cannot send");
      sent.push_back(Sent::prepare);
      it = prepared_.emplace(std::string(sql), std::move(name)).first;
      failed_prepare = it->second;
    }
    if (PQsendQueryPrepared(conn_, it->second.c_str(), bound->count(), bound->values(), bound->lengths(),
                            bound->formats(), 0) != 1)
      lost("cannot send");
    sent.push_back(Sent::statement);
  }
  if (PQpipelineSync(conn_) != 1) lost("cannot send");
  // Flush, reading meanwhile so that a server busy writing results never waits on us.
  for (;;) {
    const int f = PQflush(conn_);
    if (f == 0) break;
    if (f < 0) lost("cannot send to PostgreSQL");
    pollfd p{PQsocket(conn_), POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, kRoundTripTimeoutMs) <= 0) lost("PostgreSQL does not answer");
    if ((p.revents & POLLIN) && PQconsumeInput(conn_) != 1) lost("the connection to PostgreSQL was lost");
  }
  auto next_result = [&]() -> PGresult* {
    while (PQisBusy(conn_)) {
      pollfd p{PQsocket(conn_), POLLIN, 0};
      if (::poll(&p, 1, kRoundTripTimeoutMs) <= 0) lost("PostgreSQL does not answer");
      if (PQconsumeInput(conn_) != 1) lost("the connection to PostgreSQL was lost");
    }
    return PQgetResult(conn_);
  };
  std::optional<Error> first_error;
  Result statement_result;
  for (Sent s : sent) {
    Result r(next_result());
    if (!r) lost("the connection to PostgreSQL was lost");
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_FATAL_ERROR) {
      if (!first_error) first_error = result_error(r.get(), "statement failed");
      if (s == Sent::prepare) {
        std::erase_if(prepared_, [&](const auto& e) { return e.second == failed_prepare; });
      }
    } else if (st != PGRES_PIPELINE_ABORTED && s == Sent::statement) {
      statement_result = std::move(r);
    }
    // Each command's results end with a null.
    while (Result extra{next_result()}) {
      if (PQresultStatus(extra.get()) == PGRES_PIPELINE_SYNC) lost("PostgreSQL answered out of order");
    }
  }
  Result sync(next_result());
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    // A server shutting down can answer with an error where the sync should be (userver's guard).
    if (sync && PQresultStatus(sync.get()) == PGRES_FATAL_ERROR && !first_error) first_error = result_error(sync.get(), "statement failed");
    lost("the connection to PostgreSQL was lost");
  }
  if (first_error) {
    if (first_error->kind() == Error::Kind::unavailable || !ok()) lost("the connection to PostgreSQL was lost");
    throw *first_error;
  }
  return statement_result.release();
}

Rows SyncConnection::run_script(std::string_view sql) {
  if (PQexitPipelineMode(conn_) != 1) lost("cannot leave pipeline mode");
  Result r(PQexec(conn_, dialect::for_postgres(sql).c_str()));
  if (PQenterPipelineMode(conn_) != 1) lost("cannot enter pipeline mode");
  if (!r) lost("the connection to PostgreSQL was lost");
  const ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw result_error(r.get(), "script failed");
  changes_ = changed_rows(r.get());
  return to_rows(r.get());
}

}  // namespace parley::store::pg
