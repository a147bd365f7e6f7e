#include "net/router.hpp"

#include <algorithm>

namespace parley::net {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto end = std::min(path.find('/', i), path.size());
    parts.push_back(path.substr(i, end - i));
    i = end;
  }
  return parts;
}

bool is_param(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// Exact segments sort before parameters so that /v1/rooms/join wins over /v1/rooms/{id}.
int specificity(const std::vector<std::string>& segments) {
  int score = 0;
  for (const auto& s : segments) score = score * 2 + (is_param(s) ? 0 : 1);
  return score;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, Handler handler) {
  Route r{method, pattern, {}, std::move(handler), {}};
  for (auto part : split_path(pattern)) r.segments.emplace_back(part);
  routes_.push_back(std::move(r));
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    if (a.segments.size() != b.segments.size()) return a.segments.size() < b.segments.size();
    return specificity(a.segments) > specificity(b.segments);
  });
}

void Router::websocket(std::string pattern, WsHandler handler) {
  add(http::verb::get, std::move(pattern), {});
  for (auto& r : routes_)
    if (!r.handler && !r.ws) r.ws = std::move(handler);
}

bool Router::match_route(const Route& r, const std::vector<std::string_view>& parts,
                         std::vector<std::pair<std::string_view, std::string_view>>& params) const {
  if (r.segments.size() != parts.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = r.segments[i];
    if (is_param(seg)) {
      params.emplace_back(std::string_view(seg).substr(1, seg.size() - 2), parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::match(http::verb method, std::string_view path, bool upgrade) const {
  Match m;
  const auto parts = split_path(path);
  std::vector<std::pair<std::string_view, std::string_view>> params;
  for (const auto& r : routes_) {
    if (!match_route(r, parts, params)) continue;
    const bool head_as_get = method == http::verb::head && r.method == http::verb::get;
    if (r.method != method && !head_as_get) {
      if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) m.allowed.push_back(r.method);
      if (!m.pattern) m.pattern = &r.pattern;  // a 405 is reported under the path's route
      continue;
    }
    if (r.ws && !upgrade) {  // a WebSocket route asked for without the upgrade
      m.needs_upgrade = true;
      m.pattern = &r.pattern;
      m.allowed.clear();
      return m;
    }
    m.handler = r.handler ? &r.handler : nullptr;
    m.ws = r.ws ? &r.ws : nullptr;
    m.pattern = &r.pattern;
    m.params = std::move(params);
    m.allowed.clear();
    return m;
  }
  if (fallback_ && m.allowed.empty() && (method == http::verb::get || method == http::verb::head)) {
    m.handler = &fallback_;
    m.pattern = &fallback_pattern_;
  }
  return m;
}

}  // namespace parley::net
