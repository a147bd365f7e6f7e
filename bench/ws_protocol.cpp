#include "ws_protocol.hpp"

#include <charconv>

namespace parley::bench {
namespace {

class PlainProtocol final : public WsProtocol {
 public:
  PlainProtocol(std::string frame_template, std::vector<std::string> init_frames)
      : init_frames_(std::move(init_frames)) {
    // Split the template once into literal pieces and placeholders.
    std::string_view t = frame_template;
    while (!t.empty()) {
      const auto n = t.find("{n}");
      const auto ts = t.find("{ts}");
      const auto at = std::min(n, ts);
      if (at == std::string_view::npos) {
        pieces_.push_back({std::string(t), Slot::none});
        break;
      }
      pieces_.push_back({std::string(t.substr(0, at)), at == n ? Slot::n : Slot::ts});
      t.remove_prefix(at + (at == n ? 3 : 4));
    }
  }

  std::vector<std::string> opening_frames() const override { return init_frames_; }

  std::string make_frame(std::uint64_t n, std::int64_t scheduled_ns) const override {
    std::string out;
    out.reserve(64);
    for (const auto& p : pieces_) {
      out += p.literal;
      if (p.slot == Slot::n) out += std::to_string(n);
      else if (p.slot == Slot::ts) out += std::to_string(scheduled_ns);
    }
    return out;
  }

  Incoming classify(std::string_view text) const override {
    Incoming in;
    if (find_id(text, in.n)) in.kind = Incoming::Kind::reply;
    return in;
  }

 private:
  enum class Slot { none, n, ts };
  struct Piece {
    std::string literal;
    Slot slot;
  };
  std::vector<std::string> init_frames_;
  std::vector<Piece> pieces_;
};

}  // namespace

bool find_id(std::string_view text, std::uint64_t& id) {
  constexpr std::string_view key = "\"id\"";
  auto at = text.find(key);
  if (at == std::string_view::npos) return false;
  auto rest = text.substr(at + key.size());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':')) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '"') rest.remove_prefix(1);
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  return ec == std::errc{} && end != rest.data();
}

std::unique_ptr<WsProtocol> make_plain_protocol(std::string frame_template, std::vector<std::string> init_frames) {
  return std::make_unique<PlainProtocol>(std::move(frame_template), std::move(init_frames));
}

}  // namespace parley::bench
