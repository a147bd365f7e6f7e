// Device tokens (auth/device_tokens.hpp): bound to the account, signed by the key ring, refused
// when tampered with, too old, or once their key is revoked; the cookie and its parsing; and the
// key ring's rotation with --revoke-previous and change detection.
#include "auth/device_tokens.hpp"
#include "auth/jwt.hpp"
#include "core/encoding.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "test_store.hpp"

namespace parley::auth {
namespace {

namespace fs = std::filesystem;

class DeviceTokensTest : public ::testing::Test {
 protected:
  testing_support::TestStore store_;
  store::Database& db_ = *store_.db;
  const fs::path dir_ = store_.dir.path / "keys";
};

TEST_F(DeviceTokensTest, VerifiesForItsUserAndDevice) {
  KeyRing ring(db_, dir_);
  const auto a = issue_device_token(ring.snapshot()->signing(), 42, 7001, 1000);
  auto d = verify_device_token(*ring.snapshot(), a, 1001);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->user_id, 42);
  EXPECT_EQ(d->device, 7001);
  EXPECT_EQ(d->issued_s, 1000);
}

TEST_F(DeviceTokensTest, RefusesTamperedForeignOldAndMalformed) {
  KeyRing ring(db_, dir_);
  const auto t = issue_device_token(ring.snapshot()->signing(), 42, 7001, 1000);
  // The payload rewritten to another user, the signature kept.
  const auto dot = t.find('.');
  auto payload = encoding::from_base64url(t.substr(0, dot));
  ASSERT_TRUE(payload);
  std::string text(payload->begin(), payload->end());
  const auto at = text.find(":42:");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 4, ":43:");
  EXPECT_FALSE(verify_device_token(*ring.snapshot(), encoding::base64url(text) + t.substr(dot), 1001));
  // Too old, or from the future.
  EXPECT_FALSE(verify_device_token(*ring.snapshot(), t, 1000 + kDeviceTokenTtlSeconds + 1));
  EXPECT_FALSE(verify_device_token(*ring.snapshot(), t, 1000 - 3600));
  // Another ring's key.
  testing_support::TestStore other_store;
  KeyRing other(*other_store.db, dir_);
  EXPECT_FALSE(verify_device_token(*other.snapshot(), t, 1001));
  for (const auto* bad : {"", ".", "abc", "abc.def", "a.b.c"}) EXPECT_FALSE(verify_device_token(*ring.snapshot(), bad, 1001));
  // An access token is not a device token, whatever its signature.
  const auto jwt = sign_token(ring.snapshot()->signing(), Claims{42, 7, "user", 1000, 1900}, "iss");
  EXPECT_FALSE(verify_device_token(*ring.snapshot(), jwt, 1001));
}

TEST_F(DeviceTokensTest, RotationKeepsThemRevocationEndsThem) {
  KeyRing ring(db_, dir_);
  const auto t = issue_device_token(ring.snapshot()->signing(), 42, 7001, 1000);
  const auto old_kid = ring.snapshot()->signing().kid;
  EXPECT_FALSE(ring.reload_if_changed());
  KeyRing::rotate(db_, dir_);
  EXPECT_TRUE(ring.reload_if_changed());
  EXPECT_NE(ring.snapshot()->signing().kid, old_kid);
  EXPECT_TRUE(verify_device_token(*ring.snapshot(), t, 1001));  // the retired key still verifies
  const auto r = KeyRing::rotate(db_, dir_, true);
  EXPECT_EQ(r.revoked.size(), 2u);
  EXPECT_TRUE(ring.reload_if_changed());
  ASSERT_EQ(ring.snapshot()->keys.size(), 1u);
  EXPECT_EQ(ring.snapshot()->signing().kid, r.kid);
  EXPECT_FALSE(verify_device_token(*ring.snapshot(), t, 1001));
  EXPECT_FALSE(ring.snapshot()->find(old_kid));
  EXPECT_EQ(ring.jwks(0, 900'000).at("keys").as_array().size(), 1u);
}

TEST(DeviceCookie, SetCookieAndParsing) {
  const auto c = device_cookie("tok.sig", false);
  EXPECT_TRUE(c.starts_with("parley_device=tok.sig;")) << c;
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(c.find("Path=/v1/auth"), std::string::npos);
  EXPECT_EQ(c.find("Secure"), std::string::npos);
  EXPECT_NE(device_cookie("t", true).find("; Secure"), std::string::npos);
  EXPECT_EQ(cookie_value("a=1; parley_device=xyz.abc; b=2", "parley_device"), "xyz.abc");
  EXPECT_EQ(cookie_value("parley_device=\"q\"", "parley_device"), "q");
  EXPECT_EQ(cookie_value("xparley_device=1", "parley_device"), "");
  EXPECT_EQ(cookie_value("", "parley_device"), "");
}

}  // namespace
}  // namespace parley::auth
