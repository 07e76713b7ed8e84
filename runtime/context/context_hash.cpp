#include "runtime/context/context_hash.hpp"

#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "runtime/context/context_walker.hpp"

namespace stack::runtime::context {

namespace {

constexpr size_t kReadSize = 256 * 1024;
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t nanoseconds(const timespec& t) {
  return int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

const char* typeName(EntryType type) {
  switch (type) {
    case EntryType::Regular:
      return "file";
    case EntryType::Directory:
      return "dir";
    case EntryType::Symlink:
      return "symlink";
    case EntryType::CharDevice:
      return "chardev";
    case EntryType::BlockDevice:
      return "blockdev";
  }
  return "?";
}

class ContextHashRun {
 public:
  ContextHashRun(const ResolvedContext& context, DigestCache* cache, HashStats& stats)
      : context_(context), cache_(cache), stats_(stats), buffer_(kReadSize) {
    using namespace std::chrono;
    int64_t now =
        duration_cast<std::chrono::nanoseconds>(system_clock::now().time_since_epoch()).count();
    racy_after_ = now - kRacyWindowNs;
  }

  void hashEntries(ContentHasher& hasher) {
    ContextWalker walker(context_.root, context_.matcher, context_.hiddenNames());
    ContextEntry entry;
    while (walker.next(entry)) {
      ++stats_.entries;
      hasher.add("entry").add(typeName(entry.type)).add(entry.path);
      hasher.add(uint64_t(entry.info.st_mode & 07777));
      if (entry.type == EntryType::Regular) {
        ++stats_.files;
        hasher.add(uint64_t(entry.info.st_size)).add(fileDigest(walker, entry));
        hasher.add(capabilityOf(entry));
      } else if (entry.type == EntryType::Symlink) {
        hasher.add(entry.link_target);
      } else if (entry.type != EntryType::Directory) {
        hasher.add(uint64_t(entry.info.st_rdev));
      }
    }
  }

 private:
  Sha256 fileDigest(const ContextWalker& walker, const ContextEntry& entry) {
    FileKey key{uint64_t(entry.info.st_dev), uint64_t(entry.info.st_ino),
                uint64_t(entry.info.st_size), nanoseconds(entry.info.st_mtim)};
    if (cache_) {
      if (auto cached = cache_->find(key)) {
        ++stats_.cache_hits;
        return *cached;
      }
    }
    UniqueFd fd = walker.openFile(entry);
    Sha256 digest = readDigest(fd.get(), entry);
    if (cache_ && key.mtime_ns < racy_after_) cache_->insert(key, digest);
    return digest;
  }

  Sha256 readDigest(int fd, const ContextEntry& entry) {
    stack::Sha256 hasher;
    uint64_t total = 0;
    while (true) {
      ssize_t n = ::read(fd, buffer_.data(), buffer_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throwIo("file", (context_.root / entry.path).string(), errno);
      if (n == 0) break;
      hasher.update(buffer_.data(), static_cast<size_t>(n));
      total += static_cast<uint64_t>(n);
    }
    stats_.bytes_read += total;
    if (total != uint64_t(entry.info.st_size)) {
      throw Error(ErrorKind::Io,
                  "\"" + (context_.root / entry.path).string() +
                      "\" changed size while the build context was hashed",
                  "retry once the files stop changing");
    }
    return hasher.digest();
  }

  // Read by path rather than through an open file, so a cached file is not even opened.
  std::string capabilityOf(const ContextEntry& entry) const {
    char value[256];
    ssize_t n = ::lgetxattr((context_.root / entry.path).c_str(), "security.capability", value,
                            sizeof value);
    return n > 0 ? std::string(value, static_cast<size_t>(n)) : std::string();
  }

  const ResolvedContext& context_;
  DigestCache* cache_;
  HashStats& stats_;
  std::vector<char> buffer_;
  int64_t racy_after_ = 0;
};

}  // namespace

ContentHasher hashContext(const BuildContext& context, DigestCache* cache, HashStats* stats) {
  HashStats local;
  const ResolvedContext& resolved = *context.resolved();
  ContentHasher hasher;
  hasher.add("stack-context-v1");
  ContextHashRun(resolved, cache, stats ? *stats : local).hashEntries(hasher);
  for (const VirtualFile& file : resolved.virtual_files) {
    hasher.add("virtual").add(file.name).add(uint64_t(file.perm)).add(sha256(file.content));
  }
  hasher.add("dockerfile").add(resolved.dockerfile).add(resolved.dockerfile_content);
  return hasher;
}

}  // namespace stack::runtime::context
