#pragma once
// The chat domain's expected failures, one wording each.
#include "core/problem.hpp"

#include <string>

namespace parley::chat {

inline ApiError room_not_found() { return ApiError(problems::not_found("no such room")); }
inline ApiError message_not_found() { return ApiError(problems::not_found("no such message")); }
inline ApiError member_not_found() { return ApiError(problems::not_found("no such member of this room")); }
inline ApiError forbidden(std::string detail) { return ApiError(problems::forbidden(std::move(detail))); }
inline ApiError invalid_field(const char* field, std::string message) {
  boost::json::object fields;
  fields[field] = std::move(message);
  return ApiError(problems::validation(std::move(fields)));
}

}  // namespace parley::chat
