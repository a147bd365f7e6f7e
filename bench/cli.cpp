#include "cli.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli_args.hpp"

namespace parley::bench {

std::expected<bool, std::string> common_option(ArgReader& r, const std::string& name, CommonOptions& o,
                                               std::string& url_text) {
  if (name == "--url") {
    PB_TRY(v, r.value(name));
    url_text = v;
  } else if (name == "--connections" || name == "-c") {
    PB_TRY(v, r.value(name));
    PB_TRY(n, parse_number<int>(name, v));
    if (n < 1) return std::unexpected("--connections must be at least 1");
    o.connections = n;
  } else if (name == "--threads" || name == "-t") {
    PB_TRY(v, r.value(name));
    PB_TRY(n, parse_number<int>(name, v));
    if (n < 1 || n > 256) return std::unexpected("--threads must be in 1..256");
    o.threads = n;
  } else if (name == "--duration" || name == "-d") {
    PB_TRY(v, r.value(name));
    PB_TRY(d, parse_duration(v));
    if (d <= Duration::zero()) return std::unexpected("--duration must be positive");
    o.duration = d;
  } else if (name == "--warmup") {
    PB_TRY(v, r.value(name));
    PB_TRY(d, parse_duration(v));
    o.warmup = d;
  } else if (name == "--header" || name == "-H") {
    PB_TRY(v, r.value(name));
    auto colon = v.find(':');
    if (colon == std::string::npos || colon == 0)
      return std::unexpected(fmt::format("--header '{}': expected 'Name: value'", v));
    std::string value = v.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    o.headers.emplace_back(v.substr(0, colon), value);
  } else if (name == "--json") {
    PB_TRY(v, r.value(name));
    o.json_path = v;
  } else if (name == "--quiet" || name == "-q") {
    o.quiet = true;
  } else {
    return false;
  }
  return true;
}

std::expected<void, std::string> finish_common(CommonOptions& o, const std::string& url_text,
                                               std::string_view scheme) {
  if (url_text.empty()) return std::unexpected("--url is required");
  PB_TRY(u, parse_target_url(url_text));
  if (u.scheme != scheme)
    return std::unexpected(fmt::format("--url '{}': this scenario wants a {}:// URL", url_text, scheme));
  o.url = std::move(u);
  return {};
}

namespace {

std::expected<std::string, std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(fmt::format("--body: cannot read '{}'", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::expected<Duration, std::string> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  if (digits == 0) return std::unexpected(fmt::format("'{}' is not a duration (e.g. 10s, 500ms, 2m)", text));
  PB_TRY(number, parse_number<double>("duration", text.substr(0, digits)));
  const std::string_view unit = text.substr(digits);
  double ns_per_unit = 0;
  if (unit.empty() || unit == "s") ns_per_unit = 1e9;
  else if (unit == "ms") ns_per_unit = 1e6;
  else if (unit == "us") ns_per_unit = 1e3;
  else if (unit == "m") ns_per_unit = 60e9;
  else if (unit == "h") ns_per_unit = 3600e9;
  else return std::unexpected(fmt::format("'{}': unknown unit '{}' (use ms, s, m, h)", text, unit));
  return Duration(static_cast<std::int64_t>(number * ns_per_unit));
}

std::expected<HttpOptions, std::string> parse_http_options(const std::vector<std::string>& args) {
  HttpOptions o;
  std::string url_text;
  std::string body_path;
  ArgReader r(args);
  while (!r.done()) {
    const std::string name = r.next_name();
    PB_TRY(handled, common_option(r, name, o.common, url_text));
    if (handled) continue;
    if (name == "--rate" || name == "-R") {
      PB_TRY(v, r.value(name));
      PB_TRY(rate, parse_number<double>(name, v));
      if (rate <= 0) return std::unexpected("--rate must be positive (omit it for a closed loop)");
      o.rate = rate;
    } else if (name == "--method" || name == "-X") {
      PB_TRY(v, r.value(name));
      o.method = v;
    } else if (name == "--body") {
      PB_TRY(v, r.value(name));
      body_path = v;
    } else if (name == "--content-type") {
      PB_TRY(v, r.value(name));
      o.content_type = v;
    } else {
      return std::unexpected(fmt::format("http: unknown option '{}'", name));
    }
  }
  if (auto ok = finish_common(o.common, url_text, "http"); !ok) return std::unexpected(ok.error());
  if (!body_path.empty()) {
    PB_TRY(body, read_file(body_path));
    o.body = std::move(body);
  }
  return o;
}

std::expected<WsOptions, std::string> parse_ws_options(const std::vector<std::string>& args) {
  WsOptions o;
  std::string url_text;
  std::optional<Duration> hold;
  ArgReader r(args);
  while (!r.done()) {
    const std::string name = r.next_name();
    PB_TRY(handled, common_option(r, name, o.common, url_text));
    if (handled) continue;
    if (name == "--rate" || name == "-R") {
      PB_TRY(v, r.value(name));
      PB_TRY(rate, parse_number<double>(name, v));
      if (rate < 0) return std::unexpected("--rate must be >= 0");
      o.rate = rate;
    } else if (name == "--frame") {
      PB_TRY(v, r.value(name));
      o.frame = v;
    } else if (name == "--expect-reply") {
      o.expect_reply = true;
    } else if (name == "--init-frame") {
      PB_TRY(v, r.value(name));
      o.init_frames.push_back(v);
    } else if (name == "--hold") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      hold = d;
    } else if (name == "--ramp-batch") {
      PB_TRY(v, r.value(name));
      PB_TRY(n, parse_number<int>(name, v));
      if (n < 1) return std::unexpected("--ramp-batch must be at least 1");
      o.ramp_batch = n;
    } else if (name == "--ramp-interval") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      o.ramp_interval = d;
    } else if (name == "--report-interval") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      o.report_interval = d;
    } else if (name == "--mode") {
      PB_TRY(v, r.value(name));
      if (v != "plain")
        return std::unexpected(fmt::format("--mode '{}': only 'plain' exists yet (socketio, fanout are planned)", v));
    } else {
      return std::unexpected(fmt::format("ws: unknown option '{}'", name));
    }
  }
  if (auto ok = finish_common(o.common, url_text, "ws"); !ok) return std::unexpected(ok.error());
  if (hold) {
    o.common.duration = *hold;
    if (o.rate == 1.0) o.rate = 0;  // --hold alone means idle connections
  }
  if (o.expect_reply && o.frame.find("{n}") == std::string::npos)
    return std::unexpected("--expect-reply needs '{n}' in --frame, to match each reply to its frame");
  return o;
}

std::expected<WaitReadyOptions, std::string> parse_wait_ready_options(const std::vector<std::string>& args) {
  WaitReadyOptions o;
  std::string url_text;
  ArgReader r(args);
  while (!r.done()) {
    const std::string name = r.next_name();
    if (name == "--url") {
      PB_TRY(v, r.value(name));
      url_text = v;
    } else if (name == "--timeout") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      o.timeout = d;
    } else if (name == "--interval") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      o.interval = d;
    } else if (name == "--term-timeout") {
      PB_TRY(v, r.value(name));
      PB_TRY(d, parse_duration(v));
      o.term_timeout = d;
    } else if (name == "--no-terminate") {
      o.keep = true;
    } else if (name == "--spawn") {
      auto rest = r.rest();
      if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
      o.command = std::move(rest);
    } else {
      return std::unexpected(fmt::format("wait-ready: unknown option '{}'", name));
    }
  }
  if (url_text.empty()) return std::unexpected("--url is required");
  PB_TRY(u, parse_target_url(url_text));
  if (u.scheme != "http") return std::unexpected("wait-ready: --url must be http://");
  o.url = std::move(u);
  if (o.command.empty()) return std::unexpected("wait-ready: --spawn -- COMMAND [ARGS...] is required");
  return o;
}

std::string usage() {
  return R"(parley-bench — load generator for Parley (and its peers)

  parley-bench http --url http://HOST:PORT/PATH [options]
      --connections N (64)   --threads T (2)   --duration 10s   --warmup 2s
      --rate R               total requests/s, open loop; latency from the scheduled send time
                             (without it: closed loop, each connection sends when answered)
      --method GET  --header 'K: V' (repeatable)  --body FILE  --content-type TYPE
      --json FILE            machine-readable report   --quiet

  parley-bench ws --url ws://HOST:PORT/v1/ws [options]
      --connections N  --threads T  --duration 10s  --warmup 2s  --header 'K: V'
      --rate F               frames/s per connection (1); 0 = hold idle connections
      --frame TEXT           '{"op":"ping","id":"{n}"}'; {n} = per-connection frame number
      --expect-reply         match replies carrying "id":"{n}" and record round-trip latency
      --init-frame TEXT      sent once after the handshake (repeatable; e.g. an auth frame)
      --hold D               keep the connections open D (implies --rate 0 unless given)
      --ramp-batch N (500)  --ramp-interval 100ms   --report-interval 5s   --json FILE

  parley-bench wait-ready --url http://HOST:PORT/readyz [--timeout 30s] [--interval 1ms]
                          [--no-terminate] --spawn -- COMMAND [ARGS...]
      spawns COMMAND, polls the URL until it answers 200, prints the elapsed milliseconds,
      then stops COMMAND with SIGTERM (SIGKILL after --term-timeout 10s)
)";
}

}  // namespace parley::bench
