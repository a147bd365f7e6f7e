#pragma once
// A folder of built web assets (Vite's dist/), read into memory at start and served with the
// caching a content-hashed build wants: files under assets/ carry a hash in their names and are
// immutable for a year; everything else (index.html, icons) is revalidated by ETag. A file with a
// `.gz` sibling is sent compressed to clients that accept gzip. A GET for a path that names no
// file and has no extension gets index.html, so the app's own routes (/verify-email?token=…) load.
#include "net/request.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::net {

class StaticFiles {
 public:
  struct Options {
    std::size_t max_total_bytes = 64u << 20;  // all files together, compressed variants included
    // Paths that are never the app's (API, ops, dev): a miss under them stays a 404 problem.
    std::vector<std::string> reserved = {"/v1", "/dev", "/.well-known", "/metrics", "/healthz", "/readyz"};
  };

  // Reads every regular file under `root`. Throws std::runtime_error (naming the path and the
  // problem) when root has no index.html, a file cannot be read, or the total is over the bound.
  static std::shared_ptr<const StaticFiles> load(const std::filesystem::path& root, Options options);
  static std::shared_ptr<const StaticFiles> load(const std::filesystem::path& root) { return load(root, Options{}); }

  // The response for a GET/HEAD of req.path, or nullopt when the path is not the app's.
  std::optional<Response> serve(const Request& req) const;

  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string body;
    std::optional<std::string> gzip;  // the .gz sibling's bytes
    std::string content_type;
    std::string etag;
    bool immutable = false;
  };
  Response respond(const Request& req, const File& f) const;
  bool reserved(std::string_view path) const;

  std::unordered_map<std::string, File> files_;  // by path relative to root, '/'-separated
  std::size_t total_bytes_ = 0;
  Options options_;
};

}  // namespace parley::net
