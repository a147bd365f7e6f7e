#pragma once
// Counts the WebSocket frames a client sends, from the raw bytes as they arrive (RFC 6455 §5.2),
// before Beast sees them: every frame — data, continuation, ping, pong, close — is reported once
// with its FIN bit and opcode, whatever its size and however the bytes are split across reads.
// Only the headers are decoded; payloads are skipped.
#include <cstddef>
#include <cstdint>

namespace parley::net {

class WsFrameScanner {
 public:
  // fn(bool fin, unsigned opcode) for each frame header completed by these bytes.
  template <class Fn>
  void feed(const unsigned char* p, std::size_t n, Fn&& fn) {
    while (n > 0) {
      if (skip_ > 0) {
        const std::size_t k = skip_ < n ? static_cast<std::size_t>(skip_) : n;
        skip_ -= k;
        p += k;
        n -= k;
        continue;
      }
      header_[have_++] = *p++;
      --n;
      if (have_ < 2) continue;
      const unsigned len7 = header_[1] & 0x7F;
      const std::size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
      const std::size_t need = 2 + ext + ((header_[1] & 0x80) ? 4 : 0);
      if (have_ < need) continue;
      std::uint64_t len = len7;
      if (ext > 0) {
        len = 0;
        for (std::size_t i = 0; i < ext; ++i) len = (len << 8) | header_[2 + i];
      }
      have_ = 0;
      skip_ = len;
      ++frames_;
      fn((header_[0] & 0x80) != 0, static_cast<unsigned>(header_[0] & 0x0F));
    }
  }

  std::uint64_t frames() const { return frames_; }

 private:
  unsigned char header_[14] = {};
  std::size_t have_ = 0;    // header bytes collected so far
  std::uint64_t skip_ = 0;  // payload bytes of the current frame still to pass
  std::uint64_t frames_ = 0;
};

}  // namespace parley::net
