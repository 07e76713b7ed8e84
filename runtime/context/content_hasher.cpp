#include "runtime/context/content_hasher.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace stack::runtime::context {

namespace {

EVP_MD_CTX* newSha256Context() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    throw Error(ErrorKind::Internal, "OpenSSL could not start a SHA-256 digest");
  }
  return ctx;
}

}  // namespace

struct ContentHasher::Impl {
  EVP_MD_CTX* ctx = newSha256Context();
  bool finished = false;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

ContentHasher::ContentHasher() : impl_(std::make_unique<Impl>()) {}
ContentHasher::ContentHasher(ContentHasher&&) noexcept = default;
ContentHasher& ContentHasher::operator=(ContentHasher&&) noexcept = default;
ContentHasher::~ContentHasher() = default;

void ContentHasher::update(const void* data, size_t size) {
  if (!impl_ || impl_->finished) {
    throw Error(ErrorKind::Internal, "a finished content hash was extended");
  }
  if (EVP_DigestUpdate(impl_->ctx, data, size) != 1) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to update a SHA-256 digest");
  }
}

ContentHasher& ContentHasher::add(uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  update(bytes, sizeof bytes);
  return *this;
}

ContentHasher& ContentHasher::add(std::string_view field) {
  add(static_cast<uint64_t>(field.size()));
  update(field.data(), field.size());
  return *this;
}

ContentHasher& ContentHasher::add(const Sha256& digest) {
  return add(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string ContentHasher::hexDigest() {
  Sha256 digest{};
  unsigned int size = 0;
  update(nullptr, 0);  // rejects a second call
  if (EVP_DigestFinal_ex(impl_->ctx, digest.data(), &size) != 1 || size != digest.size()) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to finish a SHA-256 digest");
  }
  impl_->finished = true;
  return "sha256:" + toHex(digest);
}

Sha256 sha256(std::string_view bytes) {
  Sha256 digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::Internal, "OpenSSL failed to compute a SHA-256 digest");
  }
  return digest;
}

std::string toHex(const Sha256& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

}  // namespace stack::runtime::context
