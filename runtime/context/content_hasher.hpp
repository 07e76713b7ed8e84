#pragma once

// ContentHasher: SHA-256 (OpenSSL EVP) over a sequence of fields. Every field is framed
// with its length, so ("ab", "c") and ("a", "bc") never hash alike; callers can add
// fields in any order as long as they always use the same order.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/sha256.hpp"

namespace stack::runtime::context {

using Sha256 = stack::Sha256Digest;

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
  stack::Sha256 hasher_;
};

// Plain SHA-256 of bytes (no framing), and the hex form of a digest (core/sha256.hpp).
using stack::sha256;
using stack::toHex;

}  // namespace stack::runtime::context
