#pragma once
// HTTP/1.1 message framing checks on a parsed request head (RFC 9112), before its body is read:
//   - Transfer-Encoding other than exactly `chunked` -> 501 unsupported_transfer_encoding
//     (a coding we do not decode would leave the body to be read as the next request);
//   - Transfer-Encoding with Content-Length, or `chunked` twice -> 400 bad_framing;
//   - no Host (HTTP/1.1), more than one, or an invalid one -> 400 bad_host.
// And the request target in origin form, also when the client sent the absolute form.
#include "core/problem.hpp"
#include "net/request.hpp"

#include <optional>
#include <string_view>

namespace parley::net {

std::optional<Problem> framing_problem(const RawRequest& head);
// 400 bad_framing, for what the parser itself refuses (Transfer-Encoding after Content-Length,
// a second Transfer-Encoding line after chunked).
Problem conflicting_framing();

struct Target {
  std::string_view path;   // "/" for an absolute-form target without a path
  std::string_view query;  // without '?'
};
// "/a?b" -> {"/a", "b"}; "http://host:8080/a?b" -> {"/a", "b"}; "http://host" -> {"/", ""}.
Target split_target(std::string_view target);

}  // namespace parley::net
