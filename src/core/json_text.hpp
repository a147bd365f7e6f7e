#pragma once
// The one way JSON becomes text in Parley: boost::json::serialize, then any invalid UTF-8 the
// values held (a raw header stored by an older version, bytes from a file) replaced by U+FFFD.
// JSON's own escapes are ASCII, so scrubbing the serialized text is exact; valid text (the usual
// case) is checked and returned as it is. Every response body, WebSocket frame and log line goes
// through here, so none can be invalid UTF-8.
#include <boost/json/value.hpp>

#include <string>

namespace parley {

std::string json_text(const boost::json::value& v);

}  // namespace parley
