#pragma once
// RFC 5322 / MIME messages: a multipart/alternative (text + HTML) rendering of a Mail, and the
// reverse for the messages this code writes (the dev outbox reads its own .eml files).
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace parley::mail {

struct Mail {
  std::string to;       // one address
  std::string subject;  // UTF-8
  std::string text;     // UTF-8
  std::string html;     // UTF-8; empty = a text-only message
};

// "Name <addr@host>" or "addr@host" -> the address; "" when none.
std::string address_of(std::string_view mailbox);
// "Parley <no-reply@HOST>" with HOST from the public URL.
std::string default_from(std::string_view app_name, std::string_view public_url);

// RFC 2047 encoded words (UTF-8, base64) when the text is not printable ASCII, else the text.
std::string encode_header_text(std::string_view text);
std::string decode_header_text(std::string_view text);
// "Tue, 04 Mar 2025 10:00:00 +0000"
std::string rfc5322_date(std::chrono::system_clock::time_point t);

std::string quoted_printable(std::string_view utf8);
std::string decode_quoted_printable(std::string_view qp);

// The whole message, CRLF line ends. `message_id` is the part inside <>.
std::string render(const Mail& mail, std::string_view from, std::string_view message_id,
                   std::chrono::system_clock::time_point date);

struct Parsed {
  std::string from, to, subject, date, message_id, text, html;
};
// Parses a message as render() writes it (headers, one level of multipart, QP or 7bit parts).
Parsed parse(std::string_view raw);

// http(s) links found in a text.
std::vector<std::string> links_in(std::string_view text);

}  // namespace parley::mail
