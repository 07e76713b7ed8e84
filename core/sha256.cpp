#include "core/sha256.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace stack {

struct Sha256::Impl {
  Impl() : ctx(EVP_MD_CTX_new()) {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(ctx);
      throw Error(ErrorKind::Internal, "OpenSSL could not start a SHA-256 digest");
    }
  }
  ~Impl() { EVP_MD_CTX_free(ctx); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  EVP_MD_CTX* ctx;
  bool finished = false;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

Sha256& Sha256::update(const void* data, size_t size) {
  if (!impl_ || impl_->finished) {
    throw Error(ErrorKind::Internal, "a finished SHA-256 digest was extended");
  }
  if (size > 0 && EVP_DigestUpdate(impl_->ctx, data, size) != 1) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to update a SHA-256 digest");
  }
  return *this;
}

Sha256Digest Sha256::digest() {
  update(nullptr, 0);  // rejects a second call
  Sha256Digest out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &size) != 1 || size != out.size()) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to finish a SHA-256 digest");
  }
  impl_->finished = true;
  return out;
}

std::string Sha256::hexDigest() {
  return toHex(digest());
}

Sha256Digest sha256(std::string_view bytes) {
  Sha256Digest out{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != out.size()) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to compute a SHA-256 digest");
  }
  return out;
}

std::string sha256Hex(std::string_view bytes) {
  return toHex(sha256(bytes));
}

std::string toHex(const Sha256Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

}  // namespace stack
