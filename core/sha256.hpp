#pragma once

// SHA-256 (OpenSSL EVP), written once: an incremental hasher for streams and framed
// fields, and one-shot helpers. Every failure of OpenSSL is a stack::Error of kind
// Internal; a hasher is finished once (digest()) and refuses more input after that.

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace stack {

using Sha256Digest = std::array<unsigned char, 32>;

class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  ~Sha256();

  Sha256& update(const void* data, size_t size);
  Sha256& update(std::string_view bytes) { return update(bytes.data(), bytes.size()); }
  // Finishes the hash. Throws stack::Error (kind Internal) when called twice.
  Sha256Digest digest();
  // digest() as 64 lowercase hex digits.
  std::string hexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Sha256Digest sha256(std::string_view bytes);
// 64 lowercase hex digits.
std::string sha256Hex(std::string_view bytes);
std::string toHex(const Sha256Digest& digest);

}  // namespace stack
