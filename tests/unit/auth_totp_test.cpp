// TOTP against RFC 6238's SHA-1 test vectors, the verification window, reuse, and the encodings.
#include "auth/totp.hpp"

#include <gtest/gtest.h>

namespace totp = parley::auth::totp;

namespace {
const std::string kRfcSecret = "12345678901234567890";  // RFC 6238 Appendix B, SHA-1
}

TEST(AuthTotp, Rfc6238Sha1Vectors) {
  const std::pair<std::int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [t, code] : vectors) EXPECT_EQ(totp::code_at_step(kRfcSecret, totp::step_of(t), 8), code) << t;
  // Six digits are the last six of the same truncation.
  EXPECT_EQ(totp::code_at_step(kRfcSecret, totp::step_of(59)), "287082");
}

TEST(AuthTotp, AcceptsOneStepEitherSideAndNotTwo) {
  const std::int64_t now = 1'700'000'000;
  const auto step = totp::step_of(now);
  for (int d : {-1, 0, 1}) {
    const auto code = totp::code_at_step(kRfcSecret, step + d);
    auto matched = totp::verify(kRfcSecret, code, now, 0);
    ASSERT_TRUE(matched) << d;
    EXPECT_EQ(*matched, step + d);
  }
  for (int d : {-2, 2}) EXPECT_FALSE(totp::verify(kRfcSecret, totp::code_at_step(kRfcSecret, step + d), now, 0)) << d;
}

TEST(AuthTotp, RefusesAStepAlreadyUsed) {
  const std::int64_t now = 1'700'000'000;
  const auto step = totp::step_of(now);
  const auto code = totp::code_at_step(kRfcSecret, step);
  EXPECT_FALSE(totp::verify(kRfcSecret, code, now, step));      // this step was accepted before
  EXPECT_FALSE(totp::verify(kRfcSecret, code, now, step + 1));  // a later one was
  EXPECT_TRUE(totp::verify(kRfcSecret, code, now, step - 1));
}

TEST(AuthTotp, RefusesMalformedCodes) {
  const std::int64_t now = 1'700'000'000;
  for (const char* bad : {"", "12345", "1234567", "12345a", " 12345", "１２３４５６"})
    EXPECT_FALSE(totp::verify(kRfcSecret, bad, now, 0)) << bad;
}

TEST(AuthTotp, Base32RoundTripAndSecret) {
  EXPECT_EQ(totp::base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(totp::base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), kRfcSecret);
  EXPECT_FALSE(totp::base32_decode("not*base32"));
  const auto secret = totp::new_secret();
  EXPECT_EQ(secret.size(), 32u);  // 20 bytes
  EXPECT_EQ(totp::base32_decode(secret)->size(), totp::kSecretBytes);
  EXPECT_NE(secret, totp::new_secret());
}

TEST(AuthTotp, UriAndQrCode) {
  EXPECT_EQ(totp::otpauth_uri("My App", "alice", "ABC"),
            "otpauth://totp/My%20App:alice?secret=ABC&issuer=My%20App&algorithm=SHA1&digits=6&period=30");
  const auto svg = totp::qr_svg("otpauth://totp/Parley:alice?secret=ABC");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_EQ(svg.find("<path"), svg.rfind("<path"));  // one path
  EXPECT_NE(svg.find(" d=\"M"), std::string::npos);
}

TEST(AuthTotp, RecoveryCodes) {
  const auto code = totp::new_recovery_code();
  ASSERT_EQ(code.size(), 11u);
  EXPECT_EQ(code[5], '-');
  EXPECT_EQ(totp::normalize_recovery_code("ABCDE-FGHJK"), "abcdefghjk");
  EXPECT_EQ(totp::normalize_recovery_code(" abcde fghjk"), "abcdefghjk");
}
