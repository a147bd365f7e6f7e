#include "store/error.hpp"

namespace parley::store {

std::string_view to_string(Error::Kind kind) {
  switch (kind) {
    case Error::Kind::unique_violation: return "unique_violation";
    case Error::Kind::foreign_key: return "foreign_key";
    case Error::Kind::constraint: return "constraint";
    case Error::Kind::busy: return "busy";
    case Error::Kind::full: return "full";
    case Error::Kind::io: return "io";
    case Error::Kind::closed: return "closed";
    case Error::Kind::unavailable: return "unavailable";
    case Error::Kind::other: return "other";
  }
  return "other";
}

bool is_storage_full(const std::exception& e) {
  const auto* se = dynamic_cast<const Error*>(&e);
  return se && se->kind() == Error::Kind::full;
}

bool is_store_unavailable(const std::exception& e) {
  const auto* se = dynamic_cast<const Error*>(&e);
  return se && se->kind() == Error::Kind::unavailable;
}

}  // namespace parley::store
