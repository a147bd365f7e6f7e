#include "accounts_helpers.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cctype>

#include "run_command.hpp"

namespace parley::it::accounts {

ServerOptions fast_server() {
  ServerOptions o;
  o.args = kFastHash;
  return o;
}

namespace json = boost::json;

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string str(const json::value& v, std::string_view key) { return std::string(v.as_object().at(key).as_string()); }

json::object signup(HttpClient& c, const std::string& email, const std::string& username, const std::string& password) {
  auto res = c.post_json("/v1/auth/signup", json::serialize(json::object{
                                                {"email", email}, {"username", username}, {"password", password}}));
  EXPECT_EQ(res.result_int(), 201) << res;
  if (res.result_int() != 201) return {};
  return body_json(res).as_object();
}

Response login(HttpClient& c, const std::string& login, const std::string& password,
               const std::optional<std::string>& totp) {
  json::object body{{"login", login}, {"password", password}};
  if (totp) body["totp"] = *totp;
  return c.post_json("/v1/auth/login", json::serialize(body));
}

std::string totp_code(const std::string& secret, std::int64_t unix_seconds) {
  auto r = run_command({"/usr/bin/oathtool", "--totp", "-b", secret, "-N", "@" + std::to_string(unix_seconds)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string code;
  for (char ch : r.out)
    if (std::isdigit(static_cast<unsigned char>(ch))) code += ch;
  EXPECT_EQ(code.size(), 6u) << "oathtool said: " << r.out << r.err;
  return code;
}

}  // namespace parley::it::accounts
