#include "bus/redis/connection.hpp"

#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <unistd.h>

namespace parley::bus::redis {

namespace asio = boost::asio;

Reply to_reply(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_INTEGER: out.type = Reply::Type::integer; out.integer = r.integer; break;
    case REDIS_REPLY_STRING: out.type = Reply::Type::string; out.str.assign(r.str, r.len); break;
    case REDIS_REPLY_STATUS: out.type = Reply::Type::status; out.str.assign(r.str, r.len); break;
    case REDIS_REPLY_ERROR: out.type = Reply::Type::error; out.str.assign(r.str, r.len); break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(to_reply(*r.element[i]));
      break;
    default: break;  // nil
  }
  return out;
}

Connection::Connection(asio::io_context& io) : socket_(io), closed_(io, asio::steady_timer::time_point::max()) {}

Connection::~Connection() { close(); }

bool Connection::attach(const char* ip, int port) {
  redisAsyncContext* ac = redisAsyncConnect(ip, port);  // non-blocking connect to an IP: no lookup
  if (!ac) return false;
  if (ac->err) {
    log::debug("redis connect failed", {{"error", ac->errstr}});
    redisAsyncFree(ac);
    return false;
  }
  const int fd = ::dup(ac->c.fd);
  if (fd < 0) {
    redisAsyncFree(ac);
    return false;
  }
  boost::system::error_code ec;
  socket_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    redisAsyncFree(ac);
    return false;
  }
  ac_ = ac;
  ac->data = this;
  ac->ev.data = this;
  ac->ev.addRead = [](void* p) { auto* c = static_cast<Connection*>(p); c->want_read_ = true; c->want_read(); };
  ac->ev.delRead = [](void* p) { static_cast<Connection*>(p)->want_read_ = false; };
  ac->ev.addWrite = [](void* p) { auto* c = static_cast<Connection*>(p); c->want_write_ = true; c->want_write(); };
  ac->ev.delWrite = [](void* p) { static_cast<Connection*>(p)->want_write_ = false; };
  ac->ev.cleanup = [](void* p) { static_cast<Connection*>(p)->cleanup(); };
  return true;
}

// One wait in flight per direction; hiredis asks again (addRead after every read) while it wants.
void Connection::want_read() {
  if (reading_ || !ac_) return;
  reading_ = true;
  socket_.async_wait(asio::posix::descriptor_base::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
    self->reading_ = false;
    if (ec || !self->ac_ || !self->want_read_) return;
    redisAsyncHandleRead(self->ac_);  // may close (cleanup() runs inside)
  });
}

void Connection::want_write() {
  if (writing_ || !ac_) return;
  writing_ = true;
  socket_.async_wait(asio::posix::descriptor_base::wait_write, [self = shared_from_this()](boost::system::error_code ec) {
    self->writing_ = false;
    if (ec || !self->ac_ || !self->want_write_) return;
    redisAsyncHandleWrite(self->ac_);
  });
}

// hiredis frees its context (an error, EOF, or close()): called once, before the free.
void Connection::cleanup() {
  ac_ = nullptr;
  want_read_ = want_write_ = false;
  boost::system::error_code ec;
  socket_.close(ec);  // our dup only; hiredis closes its own
  closed_.cancel();
}

void Connection::close() {
  if (!ac_) return;
  redisAsyncContext* ac = ac_;
  redisAsyncFree(ac);  // runs pending callbacks with nullptr, then cleanup()
  ac_ = nullptr;
}

asio::awaitable<void> Connection::wait_closed() {
  if (!ac_) co_return;
  co_await closed_.async_wait(asio::as_tuple(asio::use_awaitable));
}

bool Connection::send(const std::vector<std::string>& args, void (*fn)(redisAsyncContext*, void*, void*), void* priv) {
  if (!ac_ || args.empty()) return false;
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAsyncCommandArgv(ac_, fn, priv, static_cast<int>(args.size()), argv.data(), lens.data()) == REDIS_OK;
}

void Connection::on_reply(redisAsyncContext*, void* reply, void* priv) {
  std::unique_ptr<ReplyFn> done(static_cast<ReplyFn*>(priv));
  (*done)(static_cast<const redisReply*>(reply));
}

bool Connection::command(const std::vector<std::string>& args, ReplyFn done) {
  auto box = std::make_unique<ReplyFn>(std::move(done));
  if (!send(args, &Connection::on_reply, box.get())) return false;
  box.release();  // hiredis calls on_reply exactly once (with nullptr when it frees the context)
  return true;
}

void Connection::on_pubsub(MessageFn message, ConfirmFn confirm) {
  message_ = std::move(message);
  confirm_ = std::move(confirm);
}

void Connection::on_pubsub_reply(redisAsyncContext*, void* reply, void* priv) {
  auto* self = static_cast<Connection*>(priv);
  const auto* r = static_cast<const redisReply*>(reply);
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
  const redisReply* kind = r->element[0];
  const redisReply* channel = r->element[1];
  if (kind->type != REDIS_REPLY_STRING || channel->type != REDIS_REPLY_STRING) return;
  const std::string_view k(kind->str, kind->len);
  const std::string_view ch(channel->str, channel->len);
  if (k == "message") {
    const redisReply* payload = r->element[2];
    if (payload->type == REDIS_REPLY_STRING && self->message_) self->message_(ch, {payload->str, payload->len});
  } else if (k == "subscribe" || k == "unsubscribe") {
    if (self->confirm_) self->confirm_(ch, k == "subscribe");
  }
}

bool Connection::subscribe(const std::vector<std::string>& channels) {
  std::vector<std::string> args{"SUBSCRIBE"};
  args.insert(args.end(), channels.begin(), channels.end());
  return send(args, &Connection::on_pubsub_reply, this);
}

bool Connection::unsubscribe(const std::vector<std::string>& channels) {
  std::vector<std::string> args{"UNSUBSCRIBE"};
  args.insert(args.end(), channels.begin(), channels.end());
  return send(args, &Connection::on_pubsub_reply, this);
}

asio::awaitable<Result> call(Connection& c, const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  struct Wait {
    Wait(const asio::any_io_executor& ex, std::chrono::milliseconds t) : timer(ex, t) {}
    asio::steady_timer timer;
    std::optional<Result> result;
  };
  const auto ex = co_await asio::this_coro::executor;
  auto wait = std::make_shared<Wait>(ex, timeout);
  auto done = [wait](const redisReply* r) {
    if (r) wait->result = to_reply(*r);
    else wait->result = std::unexpected(Error::connection_lost);
    wait->timer.cancel();
  };
  if (!c.command(args, std::move(done))) co_return std::unexpected(Error::disconnected);
  co_await wait->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!wait->result) co_return std::unexpected(Error::timeout);
  co_return std::move(*wait->result);
}

asio::awaitable<std::shared_ptr<Connection>> Connection::open(asio::io_context& io, const Endpoint& ep,
                                                               std::chrono::milliseconds timeout) {
  asio::ip::tcp::resolver resolver(io);
  auto [ec, found] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), asio::as_tuple(asio::use_awaitable));
  if (ec || found.empty()) {
    log::debug("redis host not found", {{"host", ep.host}, {"error", ec.message()}});
    co_return nullptr;
  }
  const std::string ip = found.begin()->endpoint().address().to_string();
  auto c = std::make_shared<Connection>(io);
  if (!c->attach(ip.c_str(), ep.port)) co_return nullptr;
  std::vector<std::vector<std::string>> hello;
  if (!ep.password.empty()) hello.push_back(cmd("AUTH", ep.password));
  if (ep.db != 0) hello.push_back(cmd("SELECT", ep.db));
  hello.push_back(cmd("PING"));
  for (const auto& args : hello) {
    Result r = co_await call(*c, args, timeout);
    if (!r || r->is_error()) {
      log::warn("redis handshake failed", {{"command", args.front()},
                                           {"error", r ? r->str : std::string(to_string(r.error()))}});
      c->close();
      co_return nullptr;
    }
  }
  co_return c;
}

}  // namespace parley::bus::redis
