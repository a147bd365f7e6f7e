#include "gateway_helpers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

namespace parley::it::chat {

GatewayClient::GatewayClient(std::uint16_t port, const User& user, std::chrono::milliseconds timeout) : ws(port, timeout) {
  ws.connect();
  ws.send_text(json::serialize(json::object{{"op", "auth"}, {"token", user.token}}));
  next("ready");
}

json::object GatewayClient::read_one() {
  auto frame = ws.read_json();
  const auto* t = frame.if_contains("t");
  types_.push_back(t && t->is_string() ? std::string(t->as_string()) : std::string());
  return frame;
}

json::object GatewayClient::next(const std::string& type) {
  for (auto it = queued_.begin(); it != queued_.end(); ++it) {
    if (it->at("t").as_string() == type) {
      auto out = std::move(*it);
      queued_.erase(it);
      return out;
    }
  }
  for (;;) {
    auto frame = read_one();
    if (frame.at("t").as_string() == type) return frame;
    queued_.push_back(std::move(frame));
  }
}

std::optional<json::object> GatewayClient::next_frame(std::chrono::milliseconds timeout) {
  if (!queued_.empty()) {
    auto out = std::move(queued_.front());
    queued_.pop_front();
    return out;
  }
  auto r = ws.read(timeout);
  if (r.ec) return std::nullopt;
  auto frame = json::parse(r.text).as_object();
  const auto* t = frame.if_contains("t");
  types_.push_back(t && t->is_string() ? std::string(t->as_string()) : std::string());
  return frame;
}

int GatewayClient::count(const std::string& type) const {
  return static_cast<int>(std::count(types_.begin(), types_.end(), type));
}

void GatewayClient::subscribe(const std::string& room, std::int64_t since) {
  ws.send_text(json::serialize(json::object{{"op", "sub"}, {"rooms", json::array{json::object{{"room", room}, {"since", since}}}}}));
  auto sub = next("subscribed");
  EXPECT_EQ(sub.at("room").as_string(), room);
}

void GatewayClient::send_message(const std::string& room, const std::string& client_id, const std::string& body) {
  ws.send_text(json::serialize(json::object{{"op", "send"}, {"room", room}, {"client_id", client_id}, {"body", body}}));
}

std::vector<std::int64_t> GatewayClient::collect_seqs(const std::string& room, std::int64_t last,
                                                      std::chrono::milliseconds timeout) {
  std::vector<std::int64_t> seqs;
  auto take = [&](const json::object& f) {
    const auto t = f.at("t").as_string();
    if ((t == "msg" || t == "edit" || t == "delete") && f.at("room").as_string() == room) {
      seqs.push_back(f.at("seq").as_int64());
      return true;
    }
    return false;
  };
  for (auto it = queued_.begin(); it != queued_.end();) {
    if (take(*it)) it = queued_.erase(it);
    else ++it;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while ((seqs.empty() || seqs.back() < last) && std::chrono::steady_clock::now() < deadline) {
    auto r = ws.read(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (r.ec) break;
    auto frame = json::parse(r.text).as_object();
    const auto* t = frame.if_contains("t");
    types_.push_back(t && t->is_string() ? std::string(t->as_string()) : std::string());
    if (!take(frame)) queued_.push_back(std::move(frame));
  }
  return seqs;
}

}  // namespace parley::it::chat
