#include "chat/validation.hpp"

#include "core/problem.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

#include <boost/json/value.hpp>

namespace parley::chat {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '-' || c == '_';
}

// Standard or URL-safe alphabet, padding ('=', at most two) only at the end.
bool base64_text(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0 && s[end - 1] == '=' && s.size() - end < 2) --end;
  if (end == 0) return false;
  for (std::size_t i = 0; i < end; ++i)
    if (!base64_char(s[i])) return false;
  return true;
}

void check_content(const std::optional<std::string>& body, const std::optional<std::string>& ciphertext,
                   const std::optional<std::string>& iv, boost::json::object& fields) {
  if (body && ciphertext) {
    fields["body"] = "give either body or ciphertext and iv, not both";
    return;
  }
  if (!body && !ciphertext) {
    fields["body"] = iv ? "required (or ciphertext with the iv)" : "required (or ciphertext and iv)";
    return;
  }
  if (body) {
    if (auto p = body_problem(*body); !p.empty()) fields["body"] = p;
    if (iv) fields["iv"] = "only with ciphertext";
    return;
  }
  if (auto p = ciphertext_problem(*ciphertext); !p.empty()) fields["ciphertext"] = p;
  if (!iv) fields["iv"] = "required with ciphertext";
  else if (auto p = iv_problem(*iv); !p.empty()) fields["iv"] = p;
}

// A string member, or a type error in `fields`.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view key, boost::json::object& fields) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    fields[key] = "must be a string";
    return std::nullopt;
  }
  return std::string(v->as_string());
}

}  // namespace

std::string body_problem(std::string_view body) {
  if (body.empty()) return "must not be empty";
  if (body.size() > kMaxBodyBytes) return "at most 16384 bytes";
  if (!utf8::valid(body)) return "must be valid UTF-8";
  for (unsigned char c : body)
    if (!is_space(c)) return {};
  return "must not be only whitespace";
}

std::string ciphertext_problem(std::string_view ciphertext) {
  if (ciphertext.empty()) return "must not be empty";
  if (ciphertext.size() > kMaxCiphertextChars) return "at most 65536 characters";
  if (!base64_text(ciphertext)) return "must be base64";
  return {};
}

std::string iv_problem(std::string_view iv) {
  if (iv.empty()) return "must not be empty";
  if (iv.size() > kMaxIvChars) return "at most 64 characters";
  if (!base64_text(iv)) return "must be base64";
  return {};
}

std::string client_id_problem(std::string_view id) {
  if (id.empty() || id.size() > kMaxClientIdChars) return "1 to 64 characters";
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return "only letters, digits and . _ : -";
  }
  return {};
}

std::string room_name_problem(std::string_view name) { return text::name_problem(name, kMaxRoomNameChars); }

std::string normalize_room_name(std::string_view name) { return text::normalize_name(name); }

void validate_send(const SendInput& in) {
  boost::json::object fields;
  if (auto p = client_id_problem(in.client_id); !p.empty()) fields["client_id"] = p;
  check_content(in.body, in.ciphertext, in.iv, fields);
  if (in.attachments.size() > kMaxAttachments) fields["attachments"] = "at most 10";
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
}

void validate_edit(const EditInput& in) {
  boost::json::object fields;
  check_content(in.body, in.ciphertext, in.iv, fields);
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
}

std::optional<std::int64_t> id_from_json(const boost::json::value& v) {
  if (v.is_string()) return parse_id(v.as_string());
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  return std::nullopt;
}

SendInput send_input_from_json(const boost::json::object& o) {
  boost::json::object fields;
  SendInput in;
  if (auto v = string_member(o, "client_id", fields)) in.client_id = std::move(*v);
  else if (!fields.contains("client_id")) fields["client_id"] = "required";
  in.body = string_member(o, "body", fields);
  in.ciphertext = string_member(o, "ciphertext", fields);
  in.iv = string_member(o, "iv", fields);
  if (const auto* v = o.if_contains("reply_to"); v && !v->is_null()) {
    if (auto id = id_from_json(*v)) in.reply_to = MessageId{*id};
    else fields["reply_to"] = "must be a message id";
  }
  if (const auto* v = o.if_contains("attachments"); v && !v->is_null()) {
    if (!v->is_array()) {
      fields["attachments"] = "must be an array of file ids";
    } else if (v->as_array().size() > kMaxAttachments) {
      fields["attachments"] = "at most 10";
    } else {
      for (const auto& item : v->as_array()) {
        auto id = id_from_json(item);
        if (!id) {
          fields["attachments"] = "must be an array of file ids";
          break;
        }
        in.attachments.push_back(*id);
      }
    }
  }
  if (const auto* v = o.if_contains("view_once"); v && !v->is_null()) {
    if (v->is_bool()) in.view_once = v->as_bool();
    else fields["view_once"] = "must be true or false";
  }
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
  validate_send(in);
  return in;
}

EditInput edit_input_from_json(const boost::json::object& o) {
  boost::json::object fields;
  EditInput in;
  in.body = string_member(o, "body", fields);
  in.ciphertext = string_member(o, "ciphertext", fields);
  in.iv = string_member(o, "iv", fields);
  for (const auto& kv : o)
    if (kv.key() != "body" && kv.key() != "ciphertext" && kv.key() != "iv") fields[kv.key()] = "cannot be edited";
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
  validate_edit(in);
  return in;
}

}  // namespace parley::chat
