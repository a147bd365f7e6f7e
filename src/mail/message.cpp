#include "mail/message.hpp"

#include "core/encoding.hpp"

#include <fmt/format.h>

#include <boost/url/parse.hpp>

#include <array>
#include <cctype>
#include <ctime>
#include <regex>

namespace parley::mail {
namespace {

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The display name of "Name <addr>" ("" for a bare address).
std::string name_of(std::string_view mailbox) {
  const auto lt = mailbox.rfind('<');
  if (lt == std::string_view::npos) return {};
  std::string name = trim(mailbox.substr(0, lt));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return name;
}

// A mailbox for a header: the name as atoms, a quoted string or encoded words.
std::string header_mailbox(std::string_view mailbox) {
  const auto addr = address_of(mailbox);
  const auto name = name_of(mailbox);
  if (name.empty()) return addr;
  if (!printable_ascii(name)) return encode_header_text(name) + " <" + addr + ">";
  bool atoms = true;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == ' ' || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
                                             std::string_view::npos))
      atoms = false;
  if (atoms) return name + " <" + addr + ">";
  std::string q = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\" <" + addr + ">";
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view b64) {
  std::string url;
  for (char c : b64) {
    if (c == '+') url += '-';
    else if (c == '/') url += '_';
    else if (c == '=' || c == '\r' || c == '\n') continue;
    else url += c;
  }
  return encoding::from_base64url(url);
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct Headers {
  std::vector<std::pair<std::string, std::string>> list;  // lower-cased name, unfolded value
  std::string get(std::string_view name) const {
    for (const auto& [k, v] : list)
      if (k == name) return v;
    return {};
  }
};

// Splits "headers\n\nbody" (line ends already \n) and unfolds the headers.
std::pair<Headers, std::string> split_entity(std::string_view raw) {
  Headers h;
  auto end = raw.find("\n\n");
  std::string_view head = end == std::string_view::npos ? raw : raw.substr(0, end);
  std::string body = end == std::string_view::npos ? std::string() : std::string(raw.substr(end + 2));
  std::size_t pos = 0;
  while (pos < head.size()) {
    auto nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? head.size() : nl + 1;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (!h.list.empty()) h.list.back().second += " " + trim(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    h.list.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return {std::move(h), std::move(body)};
}

std::string param(std::string_view header_value, std::string_view name) {
  const auto l = lower(header_value);
  auto at = l.find(std::string(name) + "=");
  if (at == std::string::npos) return {};
  std::string_view v = std::string_view(header_value).substr(at + name.size() + 1);
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    return std::string(v.substr(0, v.find('"')));
  }
  return trim(v.substr(0, v.find(';')));
}

std::string decode_body(const Headers& h, const std::string& body) {
  const auto cte = lower(h.get("content-transfer-encoding"));
  if (cte == "quoted-printable") return decode_quoted_printable(body);
  if (cte == "base64") {
    auto bytes = from_base64(body);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
  }
  return body;
}

}  // namespace

std::string address_of(std::string_view mailbox) {
  const auto lt = mailbox.rfind('<');
  if (lt == std::string_view::npos) return trim(mailbox);
  const auto gt = mailbox.find('>', lt);
  return trim(mailbox.substr(lt + 1, gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1));
}

std::string default_from(std::string_view app_name, std::string_view public_url) {
  std::string host = "localhost";
  if (auto u = boost::urls::parse_uri(public_url); u && !u->host().empty()) host = u->host();
  return fmt::format("{} <no-reply@{}>", app_name, host);
}

std::string encode_header_text(std::string_view text) {
  if (printable_ascii(text)) return std::string(text);
  // Encoded words of at most 75 characters: 45 bytes of UTF-8 (never split inside a character)
  // -> 60 of base64 + 12 of framing.
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - pos);
    while (pos + n < text.size() && n > 0 && (static_cast<unsigned char>(text[pos + n]) & 0xC0) == 0x80) --n;
    if (n == 0) n = std::min<std::size_t>(45, text.size() - pos);
    const auto chunk = text.substr(pos, n);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" +
           encoding::base64(std::span(reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size())) + "?=";
    pos += n;
  }
  return out;
}

std::string decode_header_text(std::string_view text) {
  static const std::regex word(R"(=\?([^?]+)\?([BbQq])\?([^?]*)\?=)");
  std::string out;
  std::string s(text);
  auto it = std::sregex_iterator(s.begin(), s.end(), word);
  std::size_t last = 0;
  bool prev_word = false;
  for (; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    std::string between = s.substr(last, static_cast<std::size_t>(m.position()) - last);
    if (!(prev_word && trim(between).empty())) out += between;  // whitespace between words is dropped
    std::string data = m[3].str();
    if (m[2].str() == "B" || m[2].str() == "b") {
      auto bytes = from_base64(data);
      if (bytes) out.append(bytes->begin(), bytes->end());
    } else {
      for (auto& c : data)
        if (c == '_') c = ' ';
      out += decode_quoted_printable(data);
    }
    last = static_cast<std::size_t>(m.position() + m.length());
    prev_word = true;
  }
  out += s.substr(last);
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                     months[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string quoted_printable(std::string_view utf8) {
  std::string out;
  std::size_t pos = 0;
  bool first = true;
  while (pos <= utf8.size()) {
    auto nl = utf8.find('\n', pos);
    std::string_view line = utf8.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? utf8.size() + 1 : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first) out += "\r\n";
    first = false;
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) piece = std::string(1, line[i]);
      else piece = fmt::format("={:02X}", c);
      if (col + piece.size() > (last ? 76u : 75u)) {
        out += "=\r\n";
        col = 0;
      }
      out += piece;
      col += piece.size();
    }
  }
  return out;
}

std::string decode_quoted_printable(std::string_view qp) {
  std::string out;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    const char c = qp[i];
    if (c != '=') {
      if (c != '\r') out += c;
      continue;
    }
    if (i + 1 < qp.size() && (qp[i + 1] == '\n' || qp[i + 1] == '\r')) {  // soft line break
      ++i;
      if (qp[i] == '\r' && i + 1 < qp.size() && qp[i + 1] == '\n') ++i;
      continue;
    }
    if (i + 2 < qp.size() + 0 && hexval(qp[i + 1]) >= 0 && hexval(qp[i + 2]) >= 0) {
      out += static_cast<char>(hexval(qp[i + 1]) * 16 + hexval(qp[i + 2]));
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

std::string render(const Mail& mail_in, std::string_view from, std::string_view message_id,
                   std::chrono::system_clock::time_point date) {
  // No header injection: a line end in the recipient or subject is dropped.
  Mail mail = mail_in;
  std::erase_if(mail.to, [](char c) { return c == '\r' || c == '\n'; });
  std::erase_if(mail.subject, [](char c) { return c == '\r' || c == '\n'; });
  std::string m;
  m += "Date: " + rfc5322_date(date) + "\r\n";
  m += "Message-ID: <" + std::string(message_id) + ">\r\n";
  m += "From: " + header_mailbox(from) + "\r\n";
  m += "To: " + header_mailbox(mail.to) + "\r\n";
  m += "Subject: " + encode_header_text(mail.subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  const auto part = [](std::string_view type, std::string_view body) {
    return fmt::format("Content-Type: {}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\r\n",
                       type, quoted_printable(body));
  };
  if (mail.html.empty()) {
    m += part("text/plain", mail.text);
    return m;
  }
  // The boundary cannot occur in quoted-printable output ("=_" is not a valid QP sequence).
  const std::string boundary = "=_parley_" + std::string(message_id.substr(0, message_id.find('@')));
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a multi-part message in MIME format.\r\n";
  m += "--" + boundary + "\r\n" + part("text/plain", mail.text);
  m += "--" + boundary + "\r\n" + part("text/html", mail.html);
  m += "--" + boundary + "--\r\n";
  return m;
}

Parsed parse(std::string_view raw_in) {
  std::string raw;
  raw.reserve(raw_in.size());
  for (char c : raw_in)
    if (c != '\r') raw += c;
  auto [h, body] = split_entity(raw);
  Parsed p;
  p.from = decode_header_text(h.get("from"));
  p.to = decode_header_text(h.get("to"));
  p.subject = decode_header_text(h.get("subject"));
  p.date = h.get("date");
  p.message_id = address_of(h.get("message-id"));
  const auto type = lower(h.get("content-type"));
  if (!type.starts_with("multipart/")) {
    (type.starts_with("text/html") ? p.html : p.text) = decode_body(h, body);
    return p;
  }
  const auto boundary = "--" + param(h.get("content-type"), "boundary");
  std::size_t pos = body.find(boundary);
  while (pos != std::string::npos) {
    pos += boundary.size();
    if (body.compare(pos, 2, "--") == 0) break;
    const auto next = body.find("\n" + boundary, pos);
    std::string_view part = std::string_view(body).substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (!part.empty() && part.front() == '\n') part.remove_prefix(1);
    auto [ph, pbody] = split_entity(part);
    const auto ptype = lower(ph.get("content-type"));
    if (ptype.starts_with("text/plain") && p.text.empty()) p.text = decode_body(ph, pbody);
    else if (ptype.starts_with("text/html") && p.html.empty()) p.html = decode_body(ph, pbody);
    pos = next == std::string::npos ? next : next + 1;
  }
  return p;
}

std::vector<std::string> links_in(std::string_view text) {
  static const std::regex link(R"(https?://[^\s<>"']+)");
  std::vector<std::string> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), link); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

}  // namespace parley::mail
