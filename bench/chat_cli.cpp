#include "chat_cli.hpp"

#include "cli_args.hpp"

namespace parley::bench {
namespace {

std::expected<int, std::string> positive_int(ArgReader& r, const std::string& name, int min = 1) {
  PB_TRY(v, r.value(name));
  PB_TRY(n, parse_number<int>(name, v));
  if (n < min) return std::unexpected(fmt::format("{} must be at least {}", name, min));
  return n;
}

std::expected<Duration, std::string> duration_value(ArgReader& r, const std::string& name) {
  PB_TRY(v, r.value(name));
  return parse_duration(v);
}

}  // namespace

std::expected<ChatOptions, std::string> parse_chat_options(const std::vector<std::string>& args) {
  ChatOptions o;
  o.common.threads = 1;
  if (args.empty()) return std::unexpected("chat: which scenario? (fanout, sends, idle)");
  if (args[0] == "fanout") o.scenario = ChatScenario::fanout;
  else if (args[0] == "sends") o.scenario = ChatScenario::sends;
  else if (args[0] == "idle") o.scenario = ChatScenario::idle;
  else return std::unexpected(fmt::format("chat: unknown scenario '{}' (fanout, sends, idle)", args[0]));
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  std::string url_text;
  bool connections_given = false;
  ArgReader r(rest);
  while (!r.done()) {
    const std::string name = r.next_name();
    if (name == "--connections" || name == "-c") connections_given = true;
    PB_TRY(handled, common_option(r, name, o.common, url_text));
    if (handled) continue;
    if (name == "--peer") {
      PB_TRY(v, r.value(name));
      if (v == "parley") o.peer = Peer::parley;
      else if (v == "socketio") o.peer = Peer::socketio;
      else return std::unexpected(fmt::format("--peer '{}': parley or socketio", v));
    } else if (name == "--setup") {
      PB_TRY(v, r.value(name));
      o.setup_path = v;
    } else if (name == "--token") {
      PB_TRY(v, r.value(name));
      o.token = v;
    } else if (name == "--rooms") {
      PB_TRY(n, positive_int(r, name));
      o.rooms = n;
    } else if (name == "--members") {
      PB_TRY(n, positive_int(r, name));
      o.members = n;
    } else if (name == "--publishers") {
      PB_TRY(n, positive_int(r, name));
      o.publishers = n;
    } else if (name == "--rate" || name == "-R") {
      PB_TRY(v, r.value(name));
      PB_TRY(rate, parse_number<double>(name, v));
      if (rate < 0) return std::unexpected("--rate must be >= 0");
      o.rate = rate;
    } else if (name == "--inflight") {
      PB_TRY(n, positive_int(r, name));
      o.inflight = n;
    } else if (name == "--body-size") {
      PB_TRY(n, positive_int(r, name, 24));
      o.body_size = n;
    } else if (name == "--sources") {
      PB_TRY(n, positive_int(r, name));
      if (n > 250) return std::unexpected("--sources must be at most 250");
      o.sources = n;
    } else if (name == "--server-pid") {
      PB_TRY(n, positive_int(r, name));
      o.server_pid = n;
    } else if (name == "--hold") {
      PB_TRY(d, duration_value(r, name));
      o.common.duration = d;
    } else if (name == "--ramp-batch") {
      PB_TRY(n, positive_int(r, name));
      o.ramp_batch = n;
    } else if (name == "--ramp-interval") {
      PB_TRY(d, duration_value(r, name));
      o.ramp_interval = d;
    } else if (name == "--setup-timeout") {
      PB_TRY(d, duration_value(r, name));
      o.setup_timeout = d;
    } else if (name == "--grace") {
      PB_TRY(d, duration_value(r, name));
      o.grace = d;
    } else if (name == "--report-interval") {
      PB_TRY(d, duration_value(r, name));
      o.report_interval = d;
    } else {
      return std::unexpected(fmt::format("chat: unknown option '{}'", name));
    }
  }
  if (auto ok = finish_common(o.common, url_text, "ws"); !ok) return std::unexpected(ok.error());
  if (o.peer == Peer::parley && o.setup_path.empty())
    return std::unexpected("--peer parley needs --setup FILE (written by `parley-bench chat-setup`)");
  switch (o.scenario) {
    case ChatScenario::fanout:
      if (o.rate <= 0) return std::unexpected("fanout needs --rate (messages/s in total)");
      o.common.connections = o.rooms * o.members + o.publishers;
      break;
    case ChatScenario::sends:
      if (!connections_given) o.common.connections = 16;
      break;
    case ChatScenario::idle:
      if (!connections_given) o.common.connections = 1000;
      break;
  }
  return o;
}

std::expected<ChatSetupOptions, std::string> parse_chat_setup_options(const std::vector<std::string>& args) {
  ChatSetupOptions o;
  std::string url_text;
  ArgReader r(args);
  while (!r.done()) {
    const std::string name = r.next_name();
    if (name == "--url") {
      PB_TRY(v, r.value(name));
      url_text = v;
    } else if (name == "--users") {
      PB_TRY(n, positive_int(r, name));
      o.users = n;
    } else if (name == "--rooms") {
      PB_TRY(n, positive_int(r, name));
      o.rooms = n;
    } else if (name == "--messages") {
      PB_TRY(n, positive_int(r, name, 0));
      o.messages = n;
    } else if (name == "--out") {
      PB_TRY(v, r.value(name));
      o.out_path = v;
    } else if (name == "--password") {
      PB_TRY(v, r.value(name));
      o.password = v;
    } else {
      return std::unexpected(fmt::format("chat-setup: unknown option '{}'", name));
    }
  }
  if (url_text.empty()) return std::unexpected("chat-setup: --url http://HOST:PORT is required");
  PB_TRY(u, parse_target_url(url_text));
  if (u.scheme != "http") return std::unexpected("chat-setup: --url must be http://");
  o.url = std::move(u);
  if (o.out_path.empty()) return std::unexpected("chat-setup: --out FILE is required");
  return o;
}

std::string chat_usage() {
  return R"(
  parley-bench chat fanout|sends|idle --peer parley|socketio --url ws://HOST:PORT [options]
      --setup FILE           Parley: users, tokens, rooms from chat-setup (connection i is user i % U)
      --token T              Socket.IO: the peer's shared token (parley-bench)
      --threads T (1)  --duration 10s  --warmup 2s  --json FILE  --quiet
      fanout: --rooms R (1) --members M (10) --publishers P (1) --rate X
              R×M subscribed connections; P publishers (not subscribed) send X messages/s in total;
              each body carries its scheduled send time: deliveries/s and delivery latency
      sends:  --connections C (16) --rooms R (1) --rate X (0 = closed loop) --inflight K (1)
              acknowledged sends/s and ack latency from the scheduled send time
      idle:   --connections N (1000) --hold D --server-pid PID
              open, authenticate, hold; the server's VmRSS before and after, per connection
      --body-size B (64)  --sources N (1: local addresses 127.0.0.1..N)  --grace 2s
      --ramp-batch 500  --ramp-interval 100ms  --setup-timeout 60s  --report-interval 5s

  parley-bench chat-setup --url http://HOST:PORT --out FILE [--users 16] [--rooms 1] [--messages 0]
      signs up U users, creates R group rooms with all of them as members (join by code when the
      create ignores `members`), posts M messages per room; writes {"users":[…],"rooms":[…]}
)";
}

}  // namespace parley::bench
