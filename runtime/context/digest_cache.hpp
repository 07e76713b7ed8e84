#pragma once

// DigestCache: SHA-256 digests of file contents keyed by (device, inode, size, mtime in
// ns), so that re-hashing an unchanged context reads no file contents. The key changes
// whenever a file is rewritten through the normal file APIs; as with make and git, a
// change that keeps size and mtime (restored on purpose) is not seen.
//
// Persistence (load/save) is for a file the caller names, e.g.
// ~/.cache/stack/digests-<project>.bin. The format is a fixed header, fixed-size records
// and a SHA-256 of everything before it:
//   "STKDGC01" | u32 version=1 | u32 record size=72 | u64 count |
//   count x (u64 dev, u64 ino, u64 size, u64 mtime_ns, u64 last_used, 32-byte digest) |
//   32-byte SHA-256
// all little-endian. A missing file is an empty cache; a file that is short, long, of
// another version, or fails its checksum is ignored as a whole (with a warning in the
// "runtime" log): a damaged cache costs one cold hash, never a wrong one. save() writes a
// temporary file and renames it over the old one, so readers never see half a file.
//
// The cache keeps at most `max_entries` entries; save() drops the least recently used.
// Not thread-safe.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "runtime/context/content_hasher.hpp"

namespace stack::runtime::context {

struct FileKey {
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileKey&) const = default;
};

class DigestCache {
 public:
  static constexpr size_t kDefaultMaxEntries = 200'000;  // about 14 MB on disk

  explicit DigestCache(size_t max_entries = kDefaultMaxEntries);

  // Never throws for the file's content; see above.
  static DigestCache load(const std::filesystem::path& file,
                          size_t max_entries = kDefaultMaxEntries);
  // Creates parent directories as needed. Throws stack::Error (kind Io).
  void save(const std::filesystem::path& file) const;

  std::optional<Sha256> find(const FileKey& key);
  void insert(const FileKey& key, const Sha256& digest);
  size_t size() const noexcept { return entries_.size(); }

 private:
  struct KeyHash {
    size_t operator()(const FileKey& key) const noexcept;
  };
  struct Value {
    Sha256 digest;
    uint64_t last_used;  // seconds since the epoch
  };

  bool parse(const std::string& bytes);

  std::unordered_map<FileKey, Value, KeyHash> entries_;
  size_t max_entries_;
  uint64_t now_;
};

}  // namespace stack::runtime::context
