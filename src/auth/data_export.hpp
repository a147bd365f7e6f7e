#pragma once
// GET /v1/me/export gathers everything the server holds about a user from a list of contributors,
// one JSON section each. Domains register theirs at start (chat adds "messages", media "files"...):
//   auth.exports().add("messages", [](store::Database& db, std::int64_t user_id) { ... });
// Contributors run on the worker pool, never on an I/O thread, and read synchronously:
//   store::run_sync(db.read(op, sql, store::params(user_id)))  (the pool thread's own read connection).
#include "store/database.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace parley::auth {

class ExportRegistry {
 public:
  using Contributor = std::function<boost::json::value(store::Database& db, std::int64_t user_id)>;

  // Register at start, before serving (not synchronised against collect()).
  void add(std::string section, Contributor fn) { contributors_.emplace_back(std::move(section), std::move(fn)); }
  // {"format": "parley-export/1", "exported_at": …, "<section>": …} in registration order.
  boost::json::object collect(store::Database& db, std::int64_t user_id) const;

 private:
  std::vector<std::pair<std::string, Contributor>> contributors_;
};

}  // namespace parley::auth
