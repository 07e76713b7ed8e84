#pragma once

// ContextTarSource: the build context as a tar stream for the body of POST /build,
// produced lazily with libarchive as read() is called.
//
// Contract:
//   - The archive is PAX (libarchive's restricted pax: ustar headers, with pax extended
//     headers only where ustar cannot say it) with relative names; directories end in '/'.
//   - Every entry has uid and gid 0 and no user or group names; mtime is truncated to
//     whole seconds and atime/ctime are left out. The mode keeps the permission bits
//     (including setuid, setgid and sticky).
//   - Symlinks are stored as links with their target, never followed. A file with several
//     hard links inside the context is stored once; later names are hard-link entries.
//     Sockets and FIFOs are left out. A security.capability extended attribute of a
//     regular file is kept, as the docker CLI does.
//   - The virtual files of the context (a generated Dockerfile and .dockerignore) come
//     first, then the walk (context_walker.hpp), so entry order is stable.
//   - Memory is bounded whatever the context's size: each read() produces at most one
//     64 KiB slice of a file (plus headers and libarchive's 10 KiB block) before handing
//     bytes out, and the walk holds only the current directory path.
//   - read() returns 0 at the end. Errors (an unreadable file, a file that changed size or
//     identity while being read) throw stack::Error (kind Io); every later read() throws
//     the same error again.

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "runtime/context/build_context.hpp"
#include "runtime/context/context_walker.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::context {

class ContextTarSource final : public BodySource {
 public:
  static constexpr size_t kSliceSize = 64 * 1024;

  explicit ContextTarSource(std::shared_ptr<const ResolvedContext> context);
  ~ContextTarSource() override;
  ContextTarSource(const ContextTarSource&) = delete;
  ContextTarSource& operator=(const ContextTarSource&) = delete;

  size_t read(char* buffer, size_t capacity) override;

  // Tar bytes handed out so far.
  uint64_t bytesRead() const noexcept { return bytes_read_; }
  // The most bytes ever held in the internal buffer, for tests and benchmarks.
  size_t peakBuffered() const noexcept { return peak_buffered_; }

 private:
  static la_ssize_t onWrite(struct archive*, void* self, const void* data, size_t size);

  void step();
  void writeVirtual(const VirtualFile& file);
  void writeEntry(const ContextEntry& entry);
  void writeSlice();
  void check(int status);
  void resetEntry();

  std::shared_ptr<const ResolvedContext> context_;
  ContextWalker walker_;
  struct archive* archive_ = nullptr;
  struct archive_entry* entry_ = nullptr;
  struct archive_entry_linkresolver* links_ = nullptr;

  size_t next_virtual_ = 0;
  UniqueFd file_;  // the regular file whose content is being written
  std::string file_path_;
  uint64_t file_remaining_ = 0;
  std::vector<char> slice_;
  std::string pending_;  // tar bytes produced and not yet read
  size_t pending_pos_ = 0;
  bool done_ = false;
  std::exception_ptr failure_;
  uint64_t bytes_read_ = 0;
  size_t peak_buffered_ = 0;
};

}  // namespace stack::runtime::context
