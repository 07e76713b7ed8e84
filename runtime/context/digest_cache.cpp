#include "runtime/context/digest_cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/log.hpp"

namespace stack::runtime::context {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "STKDGC01";
constexpr uint32_t kVersion = 1;
constexpr size_t kRecordSize = 5 * 8 + 32;
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8;
constexpr size_t kTrailerSize = 32;

void putU64(std::string& out, uint64_t value, size_t width = 8) {
  for (size_t i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

uint64_t getU64(const std::string& in, size_t at, size_t width = 8) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= uint64_t(static_cast<unsigned char>(in[at + i])) << (8 * i);
  }
  return value;
}

uint64_t nowSeconds() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

size_t DigestCache::KeyHash::operator()(const FileKey& key) const noexcept {
  uint64_t h = key.ino * 0x9E3779B97F4A7C15ull;
  h ^= key.dev + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
  h ^= key.size + (h << 6) + (h >> 2);
  h ^= static_cast<uint64_t>(key.mtime_ns) + (h << 6) + (h >> 2);
  return static_cast<size_t>(h);
}

DigestCache::DigestCache(size_t max_entries) : max_entries_(max_entries), now_(nowSeconds()) {}

std::optional<Sha256> DigestCache::find(const FileKey& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  it->second.last_used = now_;
  return it->second.digest;
}

void DigestCache::insert(const FileKey& key, const Sha256& digest) {
  entries_[key] = Value{digest, now_};
}

DigestCache DigestCache::load(const fs::path& file, size_t max_entries) {
  DigestCache cache(max_entries);
  std::error_code ec;
  uintmax_t size = fs::file_size(file, ec);
  if (ec) return cache;  // no cache yet
  std::string bytes;
  if (size <= kHeaderSize + kTrailerSize + kRecordSize * (max_entries + 1)) {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (!cache.parse(bytes)) {
    cache.entries_.clear();
    log::get("runtime")->warn("ignoring the damaged digest cache \"{}\"", file.string());
  }
  return cache;
}

bool DigestCache::parse(const std::string& bytes) {
  if (bytes.size() < kHeaderSize + kTrailerSize) return false;
  if (std::string_view(bytes).substr(0, kMagic.size()) != kMagic) return false;
  if (getU64(bytes, 8, 4) != kVersion || getU64(bytes, 12, 4) != kRecordSize) return false;
  uint64_t count = getU64(bytes, 16);
  size_t body = bytes.size() - kHeaderSize - kTrailerSize;
  if (body % kRecordSize != 0 || body / kRecordSize != count) return false;
  Sha256 checksum = sha256(std::string_view(bytes).substr(0, bytes.size() - kTrailerSize));
  if (std::memcmp(checksum.data(), bytes.data() + bytes.size() - kTrailerSize, 32) != 0) {
    return false;
  }
  entries_.reserve(count);
  for (size_t at = kHeaderSize; at < bytes.size() - kTrailerSize; at += kRecordSize) {
    FileKey key{getU64(bytes, at), getU64(bytes, at + 8), getU64(bytes, at + 16),
                static_cast<int64_t>(getU64(bytes, at + 24))};
    Value value{{}, getU64(bytes, at + 32)};
    std::memcpy(value.digest.data(), bytes.data() + at + 40, 32);
    entries_[key] = value;
  }
  return true;
}

void DigestCache::save(const fs::path& file) const {
  // Most recently used first, then by key so that equal inputs give equal files.
  std::vector<std::pair<FileKey, Value>> records(entries_.begin(), entries_.end());
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    if (a.second.last_used != b.second.last_used) return a.second.last_used > b.second.last_used;
    return std::tie(a.first.dev, a.first.ino, a.first.size, a.first.mtime_ns) <
           std::tie(b.first.dev, b.first.ino, b.first.size, b.first.mtime_ns);
  });
  if (records.size() > max_entries_) records.resize(max_entries_);

  std::string out(kMagic);
  putU64(out, kVersion, 4);
  putU64(out, kRecordSize, 4);
  putU64(out, records.size());
  for (const auto& [key, value] : records) {
    for (uint64_t field :
         {key.dev, key.ino, key.size, static_cast<uint64_t>(key.mtime_ns), value.last_used}) {
      putU64(out, field);
    }
    out.append(reinterpret_cast<const char*>(value.digest.data()), value.digest.size());
  }
  Sha256 checksum = sha256(out);
  out.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());

  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  fs::path temporary = file;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    stream.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!stream.flush()) {
      fs::remove(temporary, ec);
      throw Error(ErrorKind::Io, "cannot write the digest cache \"" + temporary.string() + "\"",
                  "check that the cache directory is writable");
    }
  }
  fs::rename(temporary, file, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw Error(ErrorKind::Io, "cannot replace the digest cache \"" + file.string() + "\"",
                "check that the cache directory is writable");
  }
}

}  // namespace stack::runtime::context
