// Access tokens: signing, verification, tampering, expiry, key rotation, the verification cache.
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "core/encoding.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "test_store.hpp"

namespace parley::auth {
namespace {

namespace fs = std::filesystem;

class TokensTest : public ::testing::Test {
 protected:
  testing_support::TestStore store_;
  store::Database& db_ = *store_.db;
  const fs::path dir_ = store_.dir.path / "keys";  // no key files: the first key is created
  const std::string iss_ = "https://chat.example.com";
};

Claims claims(std::int64_t now) { return Claims{42, 7, "user", now, now + 900}; }

TEST_F(TokensTest, SignedTokenVerifiesWithItsClaims) {
  KeyRing ring(db_, dir_);
  const auto t = sign_token(ring.snapshot()->keys.front(), claims(1000), iss_);
  auto c = verify_token(*ring.snapshot(), t, iss_, 1001);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sub, 42);
  EXPECT_EQ(c->sid, 7);
  EXPECT_EQ(c->role, "user");
  EXPECT_EQ(c->exp, 1900);
}

TEST_F(TokensTest, RefusesExpiredWrongIssuerAndTampered) {
  KeyRing ring(db_, dir_);
  const auto t = sign_token(ring.snapshot()->keys.front(), claims(1000), iss_);
  EXPECT_FALSE(verify_token(*ring.snapshot(), t, iss_, 1900));  // exp reached
  EXPECT_FALSE(verify_token(*ring.snapshot(), t, "https://other.example.com", 1001));
  // Flip one character of the payload: the signature no longer matches.
  std::string tampered = t;
  const auto dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_token(*ring.snapshot(), tampered, iss_, 1001));
  EXPECT_FALSE(verify_token(*ring.snapshot(), "not.a.token", iss_, 1001));
  EXPECT_FALSE(verify_token(*ring.snapshot(), "", iss_, 1001));
  // alg none with the same payload
  const auto payload = t.substr(dot + 1, t.rfind('.') - dot - 1);
  const auto none = encoding::base64url(std::string(R"({"alg":"none","typ":"JWT"})")) + "." + payload + ".";
  EXPECT_FALSE(verify_token(*ring.snapshot(), none, iss_, 1001));
}

TEST_F(TokensTest, RotationKeepsOldKeyVerifyingAndPublished) {
  KeyRing ring(db_, dir_);
  const auto old_kid = ring.snapshot()->keys.front().kid;
  const auto old_token = sign_token(ring.snapshot()->keys.front(), claims(1000), iss_);
  const auto new_kid = KeyRing::rotate(db_, dir_).kid;
  ring.reload();
  ASSERT_NE(new_kid, old_kid);
  EXPECT_EQ(ring.snapshot()->keys.front().kid, new_kid);  // the new key signs
  EXPECT_TRUE(verify_token(*ring.snapshot(), old_token, iss_, 1001));
  const auto now_ms = ring.snapshot()->keys.front().created_ms;
  auto jwks = ring.jwks(now_ms, 900'000);
  EXPECT_EQ(jwks.at("keys").as_array().size(), 2u);
  // Once the old key's tokens have all expired, it leaves the JWKS.
  jwks = ring.jwks(now_ms + 900'001 + 1000, 900'000);
  ASSERT_EQ(jwks.at("keys").as_array().size(), 1u);
  EXPECT_EQ(jwks.at("keys").as_array()[0].as_object().at("kid").as_string(), new_kid);
}

TEST_F(TokensTest, KeysPersistAcrossRestartsInTheDatabase) {
  std::string kid;
  {
    KeyRing ring(db_, dir_);
    kid = ring.snapshot()->keys.front().kid;
  }
  KeyRing again(db_, dir_);
  ASSERT_EQ(again.snapshot()->keys.size(), 1u);
  EXPECT_EQ(again.snapshot()->keys.front().kid, kid);
  EXPECT_FALSE(fs::exists(dir_)) << "keys are no longer written to files";
}

TEST_F(TokensTest, CacheReturnsClaimsUntilExpiry) {
  const Claims c{1, 2, "admin", 100, 200};
  TokenCache::put("token-a", c);
  auto hit = TokenCache::get("token-a", 150);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->role, "admin");
  EXPECT_FALSE(TokenCache::get("token-b", 150));
  EXPECT_FALSE(TokenCache::get("token-a", 200));  // expired: evicted
  EXPECT_FALSE(TokenCache::get("token-a", 150));
}

TEST(Passwords, HashVerifyAndRehash) {
  const PasswordParams fast{1, 8 * 1024 * 1024};
  const auto h = hash_password("correct horse", fast);
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(h, "correct horse"));
  EXPECT_FALSE(verify_password(h, "correct horsE"));
  EXPECT_FALSE(verify_password("garbage", "correct horse"));
  EXPECT_FALSE(needs_rehash(h, fast));
  EXPECT_TRUE(needs_rehash(h, PasswordParams{2, 8 * 1024 * 1024}));
}

TEST(Passwords, DummyHashIsWellFormedWithTheSameParamsAndNeverMatches) {
  const PasswordParams fast{1, 8 * 1024 * 1024};
  const auto d = dummy_password_hash(fast);
  // needs_rehash parses the encoded string: a malformed dummy would verify instantly (a timing leak).
  EXPECT_FALSE(needs_rehash(d, fast)) << d;
  EXPECT_FALSE(verify_password(d, "correct horse"));
  EXPECT_NE(dummy_password_hash(fast), d);
}

TEST(Passwords, LengthCountsCharactersNotBytes) {
  EXPECT_NE(password_problem("short"), "");
  EXPECT_EQ(password_problem("12345678"), "");
  EXPECT_EQ(password_problem("שלוםשלום"), "");       // 8 characters, 16 bytes
  EXPECT_NE(password_problem("שלום"), "");           // 4 characters, 8 bytes
  EXPECT_EQ(password_problem(std::string(128, 'x')), "");
  EXPECT_NE(password_problem(std::string(129, 'x')), "");
}

}  // namespace
}  // namespace parley::auth
