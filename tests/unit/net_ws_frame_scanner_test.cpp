// WsFrameScanner: every client frame reported once, whatever its length and however the bytes
// are split across reads.
#include "net/ws_frame_scanner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace parley::net {
namespace {

std::string frame(bool fin, unsigned opcode, std::size_t len) {
  std::string f;
  f += static_cast<char>((fin ? 0x80 : 0) | opcode);
  if (len < 126) {
    f += static_cast<char>(0x80 | len);
  } else if (len <= 0xFFFF) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>(len >> 8);
    f += static_cast<char>(len & 0xFF);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) f += static_cast<char>((static_cast<std::uint64_t>(len) >> shift) & 0xFF);
  }
  f += std::string(4, '\x5a');  // mask
  f += std::string(len, '\x81');  // payload bytes that look like headers must not count
  return f;
}

std::vector<std::pair<bool, unsigned>> scan(const std::string& bytes, std::size_t chunk) {
  WsFrameScanner s;
  std::vector<std::pair<bool, unsigned>> out;
  for (std::size_t i = 0; i < bytes.size(); i += chunk) {
    const auto n = std::min(chunk, bytes.size() - i);
    s.feed(reinterpret_cast<const unsigned char*>(bytes.data() + i), n,
           [&](bool fin, unsigned op) { out.emplace_back(fin, op); });
  }
  EXPECT_EQ(s.frames(), out.size());
  return out;
}

TEST(WsFrameScanner, CountsEveryFrameAcrossAnySplit) {
  const std::string bytes = frame(false, 1, 1) + frame(true, 9, 0) + frame(false, 0, 200) + frame(true, 0, 70'000) +
                            frame(true, 10, 3) + frame(true, 8, 2);
  const std::vector<std::pair<bool, unsigned>> want{{false, 1}, {true, 9}, {false, 0}, {true, 0}, {true, 10}, {true, 8}};
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 100u, 4096u, 1u << 20}) EXPECT_EQ(scan(bytes, chunk), want) << chunk;
}

TEST(WsFrameScanner, ManyTinyFramesInOneRead) {
  std::string bytes;
  for (int i = 0; i < 500; ++i) bytes += frame(true, 9, 1);
  EXPECT_EQ(scan(bytes, bytes.size()).size(), 500u);
}

}  // namespace
}  // namespace parley::net
