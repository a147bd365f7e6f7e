#include "store/postgres/async_connection.hpp"

#include <unistd.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "store/error.hpp"
#include "store/dialect.hpp"
#include "store/postgres/pg_values.hpp"

namespace parley::store::pg {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kRetryInterval = std::chrono::milliseconds(250);
constexpr auto kConnectTimeout = std::chrono::seconds(5);
}  // namespace

AsyncConnection::AsyncConnection(asio::io_context& io, std::string conninfo)
    : io_(io), conninfo_(std::move(conninfo)), socket_(io), watchdog_(io) {}

AsyncConnection::~AsyncConnection() {
  boost::system::error_code ec;
  socket_.close(ec);
  if (conn_) PQfinish(conn_);
}

asio::awaitable<Rows> AsyncConnection::query(std::string_view sql, std::vector<Value> params) {
  auto req = std::make_shared<Request>();
  req->sql.assign(sql);
  req->params = std::move(params);
  auto init = [this, req](auto handler) {
    auto work = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
    req->done = [handler = std::move(handler), work](std::exception_ptr e) mutable {
      asio::post(work, [handler = std::move(handler), e]() mutable { std::move(handler)(e); });
    };
    start(req);
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(init, asio::use_awaitable);
  if (req->error) std::rethrow_exception(req->error);
  co_return std::move(req->rows);
}

void AsyncConnection::start(std::shared_ptr<Request> req) {
  switch (state_) {
    case State::connected: send(req); return;
    case State::connecting: waiting_.push_back(std::move(req)); return;
    case State::disconnected:
      if (last_error_ && Clock::now() - last_attempt_ < kRetryInterval) {
        req->error = last_error_;
        finish(req);
        return;
      }
      waiting_.push_back(std::move(req));
      state_ = State::connecting;
      asio::co_spawn(io_, [self = shared_from_this()] { return self->connect(); }, asio::detached);
      return;
  }
}

void AsyncConnection::rewrap_socket() {
  boost::system::error_code ec;
  socket_.close(ec);
  const int libpq_fd = PQsocket(conn_);
  if (libpq_fd < 0) throw Error(Error::Kind::unavailable, "cannot connect to PostgreSQL: no socket");
  const int fd = ::dup(libpq_fd);
  if (fd < 0) throw Error(Error::Kind::unavailable, "cannot connect to PostgreSQL: dup failed");
  socket_.assign(fd);
}

asio::awaitable<void> AsyncConnection::connect() {
  last_attempt_ = Clock::now();
  bool ok = false;
  std::string error;
  try {
    conn_ = PQconnectStart(conninfo_.c_str());
    if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) throw connection_error(conn_, "cannot connect to PostgreSQL");
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);  // "already exists, skipping" and the like
    if (PQsetnonblocking(conn_, 1) != 0) throw connection_error(conn_, "cannot connect to PostgreSQL");
    // A server that accepts but never answers: the socket is closed under the wait.
    watchdog_.expires_after(kConnectTimeout);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && state_ == State::connecting) {
        boost::system::error_code ignored;
        socket_.close(ignored);
      }
    });
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    for (;;) {
      rewrap_socket();  // libpq may open another socket at any step (another address, SSL refused)
      co_await socket_.async_wait(st == PGRES_POLLING_READING ? asio::posix::descriptor_base::wait_read
                                                              : asio::posix::descriptor_base::wait_write,
                                  asio::use_awaitable);
      st = PQconnectPoll(conn_);
      if (st == PGRES_POLLING_OK) break;
      if (st == PGRES_POLLING_FAILED) throw connection_error(conn_, "cannot connect to PostgreSQL");
    }
    watchdog_.cancel();
    if (PQenterPipelineMode(conn_) != 1) throw connection_error(conn_, "cannot enter pipeline mode");
    rewrap_socket();
    ok = true;
  } catch (const Error& e) {
    error = e.what();
  } catch (const std::exception& e) {
    error = fmt::format("cannot connect to PostgreSQL: {}", PQerrorMessage(conn_) ? PQerrorMessage(conn_) : e.what());
  }
  watchdog_.cancel();
  if (!ok) {
    while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
    broken(error);
    co_return;
  }
  state_ = State::connected;
  last_error_ = nullptr;
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& req : waiting) {
    if (state_ != State::connected) {  // broke while sending: fail the rest
      req->error = last_error_;
      finish(req);
      continue;
    }
    send(req);
  }
}

void AsyncConnection::send(const std::shared_ptr<Request>& req) {
  BoundParams bound(req->params);
  auto it = prepared_.find(req->sql);
  if (it == prepared_.end()) {
    std::string name = fmt::format("r{}", ++prepared_count_);
    const std::string text = dialect::for_postgres(req->sql);
    if (PQsendPrepare(conn_, name.c_str(), text.c_str(), bound.count(), bound.types()) != 1) {
      in_flight_.push_back(req);
      broken("cannot send to PostgreSQL");
      return;
    }
    ++req->commands;
    it = prepared_.emplace(req->sql, std::move(name)).first;
  }
  if (PQsendQueryPrepared(conn_, it->second.c_str(), bound.count(), bound.values(), bound.lengths(), bound.formats(), 0) != 1 ||
      PQpipelineSync(conn_) != 1) {
    in_flight_.push_back(req);
    broken("cannot send to PostgreSQL");
    return;
  }
  ++req->commands;
  in_flight_.push_back(req);
  flush();
  if (state_ == State::connected && !reading_) {
    reading_ = true;
    asio::co_spawn(io_, [self = shared_from_this()] { return self->read_loop(); }, asio::detached);
  }
}

void AsyncConnection::flush() {
  const int r = PQflush(conn_);
  if (r < 0) return broken("cannot send to PostgreSQL");
  if (r == 1 && !flushing_) {
    flushing_ = true;
    asio::co_spawn(io_, [self = shared_from_this()] { return self->flush_loop(); }, asio::detached);
  }
}

asio::awaitable<void> AsyncConnection::flush_loop() {
  const std::uint64_t mine = epoch_;
  try {
    while (epoch_ == mine && state_ == State::connected) {
      co_await socket_.async_wait(asio::posix::descriptor_base::wait_write, asio::use_awaitable);
      if (epoch_ != mine) break;
      const int r = PQflush(conn_);
      if (r == 0) break;
      if (r < 0) {
        broken("cannot send to PostgreSQL");
        break;
      }
    }
  } catch (const std::exception&) {
    // the socket was closed under the wait (broken() ran)
  }
  if (epoch_ == mine) flushing_ = false;
}

asio::awaitable<void> AsyncConnection::read_loop() {
  const std::uint64_t mine = epoch_;
  bool lost = false;
  try {
    while (epoch_ == mine && state_ == State::connected && !in_flight_.empty()) {
      co_await socket_.async_wait(asio::posix::descriptor_base::wait_read, asio::use_awaitable);
      if (epoch_ != mine) break;
      if (PQconsumeInput(conn_) != 1 || !take_results()) {
        lost = true;
        break;
      }
    }
  } catch (const std::exception&) {
    lost = epoch_ == mine;  // the socket failed (or was closed by broken(), then conn_ changed)
  }
  if (epoch_ == mine) {
    reading_ = false;
    if (lost) broken("the connection to PostgreSQL was lost");
  }
}

bool AsyncConnection::take_results() {
  int nulls = 0;
  while (!in_flight_.empty()) {
    if (PQisBusy(conn_)) return true;
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) {
      if (++nulls > 2) return true;  // nothing more parsed yet
      continue;
    }
    nulls = 0;
    const std::shared_ptr<Request> req = in_flight_.front();
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      in_flight_.pop_front();
      finish(req);
      continue;
    }
    const bool is_statement = req->commands == 1;
    if (req->commands > 0) --req->commands;
    if (st == PGRES_FATAL_ERROR) {
      Error e = result_error(r, "query failed");
      if (!is_statement) prepared_.erase(req->sql);  // the prepare failed: nothing cached
      if (!req->error) req->error = std::make_exception_ptr(e);
      if (e.kind() == Error::Kind::unavailable) {
        PQclear(r);
        return false;
      }
    } else if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
      if (is_statement && !req->error) req->rows = to_rows(r);
    }
    PQclear(r);
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

void AsyncConnection::finish(const std::shared_ptr<Request>& req) {
  if (auto done = std::move(req->done)) {
    req->done = nullptr;
    done(req->error);
  }
}

void AsyncConnection::broken(std::string_view what) {
  const bool was_connected = state_ == State::connected;
  state_ = State::disconnected;
  ++epoch_;  // loops of the old connection see it and stop
  last_error_ = std::make_exception_ptr(Error(Error::Kind::unavailable, std::string(what)));
  if (!was_connected) last_attempt_ = Clock::now();
  boost::system::error_code ec;
  socket_.close(ec);
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  reading_ = flushing_ = false;
  auto failed = std::move(in_flight_);
  in_flight_.clear();
  for (auto& r : waiting_) failed.push_back(r);
  waiting_.clear();
  for (auto& req : failed) {
    if (!req->error) req->error = last_error_;
    finish(req);
  }
  // A connection that was up and broke is retried by the next read at once (it may have been a
  // server restart); one that could not be opened waits kRetryInterval.
  if (was_connected) last_error_ = nullptr;
}

void AsyncConnection::shutdown() {
  if (state_ == State::disconnected && in_flight_.empty() && waiting_.empty()) return;
  broken("the store is closed");
}

}  // namespace parley::store::pg
