#pragma once
// A TCP proxy for tests on the test's io_context: forwards to 127.0.0.1:target until freeze(),
// after which the connections it has stay open but carry nothing either way (a black hole: a
// peer that neither answers nor hangs up). Connections made after freeze() work.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <vector>

namespace parley::testing_support {

class TcpFreezeProxy {
 public:
  TcpFreezeProxy(boost::asio::io_context& io, int target)
      : io_(io), target_(target), acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(io_, accept(), boost::asio::detached);
  }
  ~TcpFreezeProxy() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& s : sessions_) s->close();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  void freeze() {
    for (auto& s : sessions_) s->frozen = true;
  }

 private:
  using tcp = boost::asio::ip::tcp;
  struct Session {
    explicit Session(boost::asio::io_context& io) : a(io), b(io) {}
    tcp::socket a, b;
    bool frozen = false;
    void close() {
      boost::system::error_code ec;
      a.close(ec);
      b.close(ec);
    }
  };

  static boost::asio::awaitable<void> pump(std::shared_ptr<Session> s, tcp::socket& from, tcp::socket& to) {
    using boost::asio::as_tuple;
    using boost::asio::use_awaitable;
    char buf[16384];
    for (;;) {
      auto [ec, n] = co_await from.async_read_some(boost::asio::buffer(buf), as_tuple(use_awaitable));
      if (ec) break;
      if (s->frozen) continue;  // swallowed
      auto [wec, w] = co_await boost::asio::async_write(to, boost::asio::buffer(buf, n), as_tuple(use_awaitable));
      if (wec) break;
    }
    s->close();
  }

  boost::asio::awaitable<void> accept() {
    using boost::asio::as_tuple;
    using boost::asio::use_awaitable;
    for (;;) {
      auto s = std::make_shared<Session>(io_);
      auto [ec] = co_await acceptor_.async_accept(s->a, as_tuple(use_awaitable));
      if (ec) co_return;
      auto [cec] = co_await s->b.async_connect({boost::asio::ip::make_address("127.0.0.1"),
                                                 static_cast<unsigned short>(target_)},
                                                as_tuple(use_awaitable));
      if (cec) {
        s->close();
        continue;
      }
      sessions_.push_back(s);
      boost::asio::co_spawn(io_, pump(s, s->a, s->b), boost::asio::detached);
      boost::asio::co_spawn(io_, pump(s, s->b, s->a), boost::asio::detached);
    }
  }

  boost::asio::io_context& io_;
  int target_;
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<Session>> sessions_;
};

}  // namespace parley::testing_support
