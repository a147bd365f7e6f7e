// Routes that exist only with --dev.
#include "app/app.hpp"

#include <boost/json.hpp>

namespace parley::app {

void add_dev_routes(net::Router& router, Context&) {
  // Echoes a small validated document: shows how bodies are checked (415, 400 with position, 422).
  router.post("/dev/echo", [](net::Request& req) -> asio::awaitable<net::Response> {
    const auto body = req.json();
    if (!body.is_object()) throw ApiError(problems::validation({}, "expected a JSON object"));
    const auto& o = body.as_object();
    boost::json::object fields;
    const auto* name = o.if_contains("name");
    if (!name) fields["name"] = "required";
    else if (!name->is_string() || name->as_string().empty() || name->as_string().size() > 64)
      fields["name"] = "must be a string of 1 to 64 characters";
    if (const auto* count = o.if_contains("count")) {
      if (!count->is_int64() || count->as_int64() < 0 || count->as_int64() > 1000)
        fields["count"] = "must be an integer from 0 to 1000";
    }
    for (const auto& kv : o)
      if (kv.key() != "name" && kv.key() != "count") fields[kv.key()] = "unknown field";
    if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
    co_return net::Response::json(200, o);
  });
}

}  // namespace parley::app
