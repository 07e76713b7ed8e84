#include "runtime/context/content_hasher.hpp"

#include "core/error.hpp"

namespace stack::runtime::context {

ContentHasher::ContentHasher() = default;
ContentHasher::ContentHasher(ContentHasher&&) noexcept = default;
ContentHasher& ContentHasher::operator=(ContentHasher&&) noexcept = default;
ContentHasher::~ContentHasher() = default;

ContentHasher& ContentHasher::add(uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  hasher_.update(bytes, sizeof bytes);
  return *this;
}

ContentHasher& ContentHasher::add(std::string_view field) {
  add(static_cast<uint64_t>(field.size()));
  hasher_.update(field);
  return *this;
}

ContentHasher& ContentHasher::add(const Sha256& digest) {
  return add(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string ContentHasher::hexDigest() {
  return "sha256:" + hasher_.hexDigest();
}

}  // namespace stack::runtime::context
