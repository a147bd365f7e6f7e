#include "net/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace parley::net {
namespace {

namespace fs = std::filesystem;

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
  return out;
}

std::string content_type_for(std::string_view ext) {
  static const std::unordered_map<std::string_view, std::string_view> types = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                 {".webp", "image/webp"},
      {".gif", "image/gif"},                   {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},                {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},   {".wasm", "application/wasm"},
  };
  const auto it = types.find(ext);
  return std::string(it == types.end() ? std::string_view("application/octet-stream") : it->second);
}

// FNV-1a: a stable ETag across restarts for the same bytes. Weak, as the plain and the gzip
// bodies are the same content.
std::string etag_of(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("W/\"{:016x}-{:x}\"", h, bytes.size());
}

bool accepts_gzip(std::string_view accept_encoding) {
  // A token list such as "gzip, deflate, br" or "br;q=1.0, gzip;q=0.8"; "gzip;q=0" refuses it.
  std::size_t pos = 0;
  while (pos < accept_encoding.size()) {
    auto end = accept_encoding.find(',', pos);
    if (end == std::string_view::npos) end = accept_encoding.size();
    auto item = accept_encoding.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto semi = item.find(';');
    auto name = item.substr(0, semi);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != "gzip" && name != "*") continue;
    if (semi == std::string_view::npos) return true;
    auto params = item.substr(semi + 1);
    const auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    auto value = params.substr(q + 2);
    return !(value.starts_with("0") && value.find_first_not_of("0. ") == std::string_view::npos);
  }
  return false;
}

// The relative path a request names, or nullopt when it cannot be a file of ours.
std::optional<std::string> relative_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  if (path.empty()) return std::string("index.html");
  if (path.find("..") != std::string_view::npos || path.find('%') != std::string_view::npos ||
      path.find('\\') != std::string_view::npos || path.find("//") != std::string_view::npos)
    return std::nullopt;
  return std::string(path);
}

}  // namespace

std::shared_ptr<const StaticFiles> StaticFiles::load(const fs::path& root, Options options) {
  auto out = std::shared_ptr<StaticFiles>(new StaticFiles());
  out->options_ = std::move(options);
  std::error_code ec;
  if (!fs::is_regular_file(root / "index.html", ec))
    throw std::runtime_error(fmt::format("{} has no index.html (is the web app built?)", root.string()));
  std::vector<std::pair<std::string, fs::path>> gz;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto rel = fs::relative(it->path(), root).generic_string();
    if (rel.starts_with(".")) continue;  // hidden files are not served
    if (it->path().extension() == ".gz") {
      gz.emplace_back(rel.substr(0, rel.size() - 3), it->path());
      continue;
    }
    File f;
    f.body = read_whole(it->path());
    f.content_type = content_type_for(it->path().extension().string());
    f.etag = etag_of(f.body);
    f.immutable = rel.starts_with("assets/");
    out->total_bytes_ += f.body.size();
    out->files_.emplace(rel, std::move(f));
  }
  if (ec) throw std::runtime_error(fmt::format("cannot list {}: {}", root.string(), ec.message()));
  for (auto& [rel, path] : gz) {
    const auto it = out->files_.find(rel);
    if (it == out->files_.end()) continue;  // a .gz with no plain twin is not served
    it->second.gzip = read_whole(path);
    out->total_bytes_ += it->second.gzip->size();
  }
  if (out->total_bytes_ > out->options_.max_total_bytes)
    throw std::runtime_error(fmt::format("{} holds {} bytes, over the {} byte bound", root.string(),
                                         out->total_bytes_, out->options_.max_total_bytes));
  return out;
}

bool StaticFiles::reserved(std::string_view path) const {
  for (const auto& prefix : options_.reserved)
    if (path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/')) return true;
  return false;
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (reserved(req.path)) return std::nullopt;
  const auto rel = relative_path(req.path);
  if (!rel) return std::nullopt;
  if (const auto it = files_.find(*rel); it != files_.end()) return respond(req, it->second);
  // A client-side route: no file, and its last segment has no extension.
  const auto last = rel->substr(rel->rfind('/') == std::string::npos ? 0 : rel->rfind('/') + 1);
  if (last.find('.') != std::string::npos || rel->starts_with("assets/")) return std::nullopt;
  return respond(req, files_.at("index.html"));
}

Response StaticFiles::respond(const Request& req, const File& f) const {
  Response res;
  res.header("ETag", f.etag);
  res.header("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (f.gzip) res.header("Vary", "Accept-Encoding");
  const auto inm = req.header("If-None-Match");
  if (!inm.empty() && (inm == "*" || inm.find(std::string_view(f.etag).substr(2)) != std::string_view::npos)) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  res.content_type = f.content_type;
  if (f.gzip && accepts_gzip(req.header("Accept-Encoding"))) {
    res.header("Content-Encoding", "gzip");
    res.body = *f.gzip;
  } else {
    res.body = f.body;
  }
  return res;
}

}  // namespace parley::net
