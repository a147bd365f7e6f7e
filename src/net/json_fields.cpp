#include "net/json_fields.hpp"

namespace parley::net {

JsonFields::JsonFields(const Request& req) {
  auto v = req.json();
  if (!v.is_object()) throw ApiError(problems::validation({}, "expected a JSON object"));
  body_ = std::move(v.as_object());
}

std::optional<std::string> JsonFields::string(std::string_view key, bool required) {
  const auto* v = body_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) errors_[key] = "required";
    return std::nullopt;
  }
  if (!v->is_string()) {
    errors_[key] = "must be a string";
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::int64_t> JsonFields::integer(std::string_view key, bool required) {
  const auto* v = body_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) errors_[key] = "required";
    return std::nullopt;
  }
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  errors_[key] = "must be an integer";
  return std::nullopt;
}

std::optional<bool> JsonFields::boolean(std::string_view key, bool required) {
  const auto* v = body_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) errors_[key] = "required";
    return std::nullopt;
  }
  if (!v->is_bool()) {
    errors_[key] = "must be true or false";
    return std::nullopt;
  }
  return v->as_bool();
}

void JsonFields::done() const {
  if (!errors_.empty()) throw ApiError(problems::validation(errors_));
}

}  // namespace parley::net
