#pragma once

// ContentHasher: SHA-256 (OpenSSL EVP) over a sequence of fields. Every field is framed
// with its length, so ("ab", "c") and ("a", "bc") never hash alike; callers can add
// fields in any order as long as they always use the same order.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace stack::runtime::context {

using Sha256 = std::array<unsigned char, 32>;

class ContentHasher {
 public:
  ContentHasher();
  ContentHasher(ContentHasher&&) noexcept;
  ContentHasher& operator=(ContentHasher&&) noexcept;
  ~ContentHasher();

  // Adds one field. Throws stack::Error (kind Internal) after hexDigest().
  ContentHasher& add(std::string_view field);
  ContentHasher& add(uint64_t value);
  ContentHasher& add(const Sha256& digest);

  // Finishes the hash: "sha256:" followed by 64 lowercase hex digits.
  std::string hexDigest();

 private:
  void update(const void* data, size_t size);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Plain SHA-256 of bytes (no framing), and the hex form of a digest.
Sha256 sha256(std::string_view bytes);
std::string toHex(const Sha256& digest);

}  // namespace stack::runtime::context
