// Account mail flows against the real binary and a real SMTP server (Debian's aiosmtpd writing a
// Maildir): email verification, password reset, email change, expired tokens, and the outbox
// (DATA/outbox/*.eml, GET /dev/outbox in --dev only).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "test_backend.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;

const std::vector<std::string> kFastHash = {"--argon2-memory-kib", "1024", "--argon2-passes", "1"};

std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// Undoes quoted-printable (soft breaks and =XX), so links split over lines are whole again.
std::string unqp(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      i += (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') ? 2 : 1;
    } else if (s[i] == '=' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The SMTP sink: python3 -m aiosmtpd with the Mailbox handler (a Maildir), on a free port.
class SmtpSink {
 public:
  SmtpSink() : dir_("parley-smtp") {
    port_ = free_port();
    maildir_ = dir_.path() / "maildir";
    pid_ = spawn_child({.argv = {"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_),
                                 "-c", "aiosmtpd.handlers.Mailbox", maildir_.string()},
                        .stdout_path = dir_.path() / "out.txt",
                        .stderr_path = dir_.path() / "err.txt"});
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpClient probe(port_, 500ms);
      if (!probe.try_connect()) return;
      std::this_thread::sleep_for(50ms);
    }
    throw std::runtime_error("aiosmtpd did not start: " + read_file(dir_.path() / "err.txt"));
  }
  ~SmtpSink() {
    kill(pid_, SIGTERM);
    if (!wait_child(pid_, 5s)) {
      kill(pid_, SIGKILL);
      wait_child(pid_, 5s);
    }
  }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(maildir_ / "new", ec)) out.push_back(read_file(e.path()));
    return out;
  }
  // The first message to `to` whose decoded text contains `needle`.
  std::optional<std::string> wait_for(const std::string& to, const std::string& needle,
                                      std::chrono::milliseconds timeout = 10s) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      for (const auto& m : messages()) {
        const auto text = unqp(m);
        if (text.find("\nTo: " + to) != std::string::npos && text.find(needle) != std::string::npos) return text;
      }
      std::this_thread::sleep_for(50ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return std::nullopt;
  }
  std::size_t count_to(const std::string& to) const {
    std::size_t n = 0;
    for (const auto& m : messages())
      if (m.find("\nTo: " + to) != std::string::npos) ++n;
    return n;
  }

 private:
  TempDir dir_;
  fs::path maildir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

std::string token_in(const std::string& text, const std::string& page) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("http://parley\\.test/" + page + "\\?token=([A-Za-z0-9_-]{43})")))
    return {};
  return m[1].str();
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

json::object signup(HttpClient& c, const std::string& email, const std::string& username,
                    const std::string& password = "correct horse 1") {
  auto res = c.post_json("/v1/auth/signup", json::serialize(json::object{
                                                {"email", email}, {"username", username}, {"password", password}}));
  EXPECT_EQ(res.result_int(), 201) << res;
  return body_json(res).as_object();
}

std::string str(const json::value& v, std::string_view key) { return std::string(v.as_object().at(key).as_string()); }

ServerOptions smtp_server(const SmtpSink& sink, std::vector<std::string> extra = {}) {
  ServerOptions o;
  o.args = {"--smtp-url", sink.url(), "--public-url", "http://parley.test", "--app-name", "Parley Test"};
  o.args.insert(o.args.end(), kFastHash.begin(), kFastHash.end());
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  return o;
}

TEST(MailFlows, SignupSendsAVerificationMailWhoseLinkVerifiesTheAddress) {
  SmtpSink sink;
  ServerProcess server(smtp_server(sink));
  HttpClient c(server.port());
  auto s = signup(c, "alice@example.com", "alice");
  EXPECT_FALSE(s.at("user").at("email_verified").as_bool());
  const auto access = str(s, "access_token");

  auto mail = sink.wait_for("alice@example.com", "/verify-email?token=");
  ASSERT_TRUE(mail) << server.describe();
  for (const char* h : {"\nDate: ", "\nMessage-ID: <", "\nFrom: Parley Test <no-reply@parley.test>", "\nMIME-Version: 1.0",
                        "\nSubject: Confirm your email address for Parley Test", "multipart/alternative",
                        "text/plain; charset=utf-8", "text/html; charset=utf-8"})
    EXPECT_NE(("\n" + *mail).find(h), std::string::npos) << h << "\n" << *mail;
  const auto first = token_in(*mail, "verify-email");
  ASSERT_FALSE(first.empty()) << *mail;
  // The token never reaches the log.
  EXPECT_EQ(server.stdout_text().find(first), std::string::npos);

  // A second mail on request; the older link stays valid until one of them is used.
  auto res = c.post_json("/v1/auth/verify-email/resend", "", bearer(access));
  EXPECT_EQ(res.result_int(), 202) << res;
  ASSERT_EQ(c.post_json("/v1/auth/verify-email/resend", "{}").result_int(), 401);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sink.count_to("alice@example.com") < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  ASSERT_EQ(sink.count_to("alice@example.com"), 2u);
  std::string second;
  for (const auto& m : sink.messages())
    if (auto t = token_in(unqp(m), "verify-email"); !t.empty() && t != first) second = t;
  ASSERT_FALSE(second.empty());

  res = c.post_json("/v1/auth/verify-email/confirm", json::serialize(json::object{{"token", first}}));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_TRUE(body_json(res).at("email_verified").as_bool());
  EXPECT_EQ(str(body_json(res), "email"), "alice@example.com");
  res = c.get("/v1/me", bearer(access));
  EXPECT_TRUE(body_json(res).at("email_verified").as_bool()) << res;

  // Single use, and using one spends the other.
  for (const auto& t : {first, second, std::string(43, 'A'), std::string("short")}) {
    res = c.post_json("/v1/auth/verify-email/confirm", json::serialize(json::object{{"token", t}}));
    expect_problem(res, 400, "invalid_token");
  }
  // Verified: a resend sends nothing.
  EXPECT_EQ(c.post_json("/v1/auth/verify-email/resend", "", bearer(access)).result_int(), 202);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(sink.count_to("alice@example.com"), 2u);
}

TEST(MailFlows, PasswordResetRevokesEverySessionAndIsSingleUse) {
  SmtpSink sink;
  ServerProcess server(smtp_server(sink));
  HttpClient c(server.port());
  auto s = signup(c, "bob@example.com", "bob", "old password 1");
  auto res = c.post_json("/v1/auth/login", R"({"login":"bob","password":"old password 1"})");
  ASSERT_EQ(res.result_int(), 200);
  const auto other = body_json(res).as_object();

  res = c.post_json("/v1/auth/password-reset/request", R"({"email":"BOB@example.com"})");
  EXPECT_EQ(res.result_int(), 202) << res;
  const auto known_body = res.body();
  res = c.post_json("/v1/auth/password-reset/request", R"({"email":"nobody@example.com"})");
  EXPECT_EQ(res.result_int(), 202) << res;
  EXPECT_EQ(res.body(), known_body);
  EXPECT_EQ(header(res, "Content-Type"), "application/json");

  auto mail = sink.wait_for("bob@example.com", "/reset-password?token=");
  ASSERT_TRUE(mail) << server.describe();
  const auto token = token_in(*mail, "reset-password");
  ASSERT_FALSE(token.empty());

  res = c.post_json("/v1/auth/password-reset/confirm", json::serialize(json::object{{"token", token}, {"password", "short"}}));
  expect_problem(res, 422, "validation_failed");
  res = c.post_json("/v1/auth/password-reset/confirm",
                    json::serialize(json::object{{"token", token}, {"password", "new password 2"}}));
  ASSERT_EQ(res.result_int(), 204) << res;

  // Both sessions end at once: access tokens and refresh tokens.
  for (const auto& t : {s, other}) {
    expect_problem(c.get("/v1/me", bearer(str(t, "access_token"))), 401, "session_revoked");
    res = c.post_json("/v1/auth/refresh", json::serialize(json::object{{"refresh_token", str(t, "refresh_token")}}));
    EXPECT_EQ(res.result_int(), 401) << res;
  }
  expect_problem(c.post_json("/v1/auth/login", R"({"login":"bob","password":"old password 1"})"), 401,
                 "invalid_credentials");
  res = c.post_json("/v1/auth/login", R"({"login":"bob@example.com","password":"new password 2"})");
  EXPECT_EQ(res.result_int(), 200) << res;
  // The mail proved the address.
  EXPECT_TRUE(body_json(res).at("user").at("email_verified").as_bool());

  res = c.post_json("/v1/auth/password-reset/confirm",
                    json::serialize(json::object{{"token", token}, {"password", "third password 3"}}));
  expect_problem(res, 400, "invalid_token");
  EXPECT_TRUE(sink.wait_for("bob@example.com", "password was changed"));
  // Nothing went to the unknown address.
  EXPECT_EQ(sink.count_to("nobody@example.com"), 0u);
}

TEST(MailFlows, EmailChangeMailsTheNewAddressAndTellsTheOldOne) {
  SmtpSink sink;
  ServerProcess server(smtp_server(sink));
  HttpClient c(server.port());
  auto s = signup(c, "carol@example.com", "carol");
  signup(c, "dave@example.com", "dave");
  const auto auth = bearer(str(s, "access_token"));

  auto res = c.post_json("/v1/auth/email-change/request", R"({"new_email":"carol@new.example","password":"wrong one 1"})", auth);
  expect_problem(res, 403, "invalid_credentials");
  res = c.post_json("/v1/auth/email-change/request", R"({"new_email":"DAVE@example.com","password":"correct horse 1"})", auth);
  expect_problem(res, 409, "email_taken");
  res = c.post_json("/v1/auth/email-change/request", R"({"new_email":"not an address","password":"correct horse 1"})", auth);
  expect_problem(res, 422, "validation_failed");
  res = c.post_json("/v1/auth/email-change/request", R"({"new_email":"carol@new.example","password":"correct horse 1"})");
  EXPECT_EQ(res.result_int(), 401);
  res = c.post_json("/v1/auth/email-change/request", R"({"new_email":"carol@new.example","password":"correct horse 1"})", auth);
  ASSERT_EQ(res.result_int(), 202) << res;

  auto mail = sink.wait_for("carol@new.example", "/confirm-email?token=");
  ASSERT_TRUE(mail) << server.describe();
  const auto token = token_in(*mail, "confirm-email");
  ASSERT_FALSE(token.empty());
  // Not changed before the confirmation.
  EXPECT_EQ(str(body_json(c.get("/v1/me", auth)), "email"), "carol@example.com");

  res = c.post_json("/v1/auth/email-change/confirm", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "email"), "carol@new.example");
  EXPECT_TRUE(body_json(res).at("email_verified").as_bool());
  auto notice = sink.wait_for("carol@example.com", "was changed from carol@example.com to carol@new.example");
  EXPECT_TRUE(notice) << server.describe();

  expect_problem(c.post_json("/v1/auth/email-change/confirm", json::serialize(json::object{{"token", token}})), 400,
                 "invalid_token");
  EXPECT_EQ(c.post_json("/v1/auth/login", R"({"login":"carol@new.example","password":"correct horse 1"})").result_int(), 200);
  EXPECT_EQ(c.post_json("/v1/auth/login", R"({"login":"carol@example.com","password":"correct horse 1"})").result_int(), 401);
}

TEST(MailFlows, OutboxInDevModeListsTheMailsAndExpiredTokensAreRefused) {
  TempDir data("parley-mail-data");
  std::string token;
  {
    std::vector<std::string> args = {"--dev", "--public-url", "http://parley.test"};
    args.insert(args.end(), kFastHash.begin(), kFastHash.end());
    ServerProcess server({.args = args, .data_dir = data.path()});
    HttpClient c(server.port());
    signup(c, "erin@example.com", "erin");
    json::array items;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (items.empty() && std::chrono::steady_clock::now() < deadline) {
      auto res = c.get("/dev/outbox");
      ASSERT_EQ(res.result_int(), 200) << res;
      items = body_json(res).at("items").as_array();
      if (items.empty()) std::this_thread::sleep_for(50ms);
    }
    ASSERT_EQ(items.size(), 1u) << server.describe();
    const auto& item = items[0].as_object();
    EXPECT_EQ(str(item, "to"), "erin@example.com");
    EXPECT_EQ(str(item, "subject"), "Confirm your email address for Parley");
    EXPECT_TRUE(item.contains("created_at"));
    // The verification link, then the public URL of the footer.
    ASSERT_EQ(item.at("links").as_array().size(), 2u) << item;
    const std::string link(item.at("links").as_array()[0].as_string());
    EXPECT_EQ(item.at("links").as_array()[1].as_string(), "http://parley.test");
    token = token_in(link, "verify-email");
    ASSERT_FALSE(token.empty()) << link;

    const auto id = str(item, "id");
    EXPECT_TRUE(fs::exists(data.path() / "outbox" / (id + ".eml")));
    auto res = c.get("/dev/outbox/" + id);
    ASSERT_EQ(res.result_int(), 200) << res;
    EXPECT_NE(str(body_json(res), "text").find(link), std::string::npos);
    EXPECT_NE(str(body_json(res), "html").find("href=\"" + link + "\""), std::string::npos) << res;
    EXPECT_EQ(c.get("/dev/outbox/0000000000000-0000000000000000").result_int(), 404);
    EXPECT_EQ(c.get("/dev/outbox/..%2Fparley.db").result_int(), 404);

    server.send_signal(SIGTERM);
    ASSERT_EQ(server.wait_exit(10s), 0);
  }
  // Expire it in the store, then try it.
  auto r = store_sql(data.path(), "UPDATE mail_tokens SET expires_at = 1 WHERE purpose = 'verify_email';");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ServerProcess server({.args = kFastHash, .data_dir = data.path()});
  HttpClient c(server.port());
  expect_problem(c.post_json("/v1/auth/verify-email/confirm", json::serialize(json::object{{"token", token}})), 400,
                 "invalid_token");
}

TEST(MailFlows, WithoutDevTheOutboxIsWrittenButNotServed) {
  std::vector<std::string> args = kFastHash;
  ServerProcess server({.args = args});
  HttpClient c(server.port());
  signup(c, "frank@example.com", "frank");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::size_t files = 0;
  while (files == 0 && std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(server.data_dir() / "outbox", ec))
      if (e.path().extension() == ".eml") ++files;
    if (files == 0) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(c.get("/dev/outbox").result_int(), 404);
}

}  // namespace
}  // namespace parley::it
