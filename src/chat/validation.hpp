#pragma once
// Field rules for chat input. Each *_problem returns "" when the value is acceptable, else what
// is wrong (the text of a 422 `fields` member).
#include "chat/model.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace parley::chat {

inline constexpr std::size_t kMaxBodyBytes = 16384;
inline constexpr std::size_t kMaxCiphertextChars = 65536;
inline constexpr std::size_t kMaxIvChars = 64;
inline constexpr std::size_t kMaxClientIdChars = 64;
inline constexpr std::size_t kMaxAttachments = 10;
inline constexpr std::size_t kMaxRoomNameChars = 100;
inline constexpr std::size_t kMaxInitialMembers = 100;

std::string body_problem(std::string_view body);              // 1..16384 bytes of UTF-8, not only whitespace
std::string ciphertext_problem(std::string_view ciphertext);  // 1..65536 base64 characters
std::string iv_problem(std::string_view iv);                  // 1..64 base64 characters
std::string client_id_problem(std::string_view client_id);    // 1..64 of [A-Za-z0-9._:-]
// 1..100 characters once trimmed of Unicode whitespace and NFC-normalised; no control or bidi
// control characters; at least one visible character (core/text.hpp).
std::string room_name_problem(std::string_view name);
std::string normalize_room_name(std::string_view name);  // as stored: trimmed, NFC

// Checks a send (every field rule, exactly one of body / ciphertext); throws ApiError 422.
void validate_send(const SendInput& in);
void validate_edit(const EditInput& in);

// The JSON bodies of a send (REST body or WS frame, whose extra members such as "op" and "room"
// are ignored) and of an edit, type-checked and validated; throw ApiError 422.
SendInput send_input_from_json(const boost::json::object& o);
EditInput edit_input_from_json(const boost::json::object& o);

// An id as the API carries it: a decimal string (a JSON number is accepted too).
std::optional<std::int64_t> id_from_json(const boost::json::value& v);

}  // namespace parley::chat
