#pragma once

// Tar archives of local paths, for moving files between the host and a container (`cp`):
// packing a host path into a tar the engine extracts, and extracting a tar the engine
// produced into a host directory. Both go through an unnamed temporary file, so memory
// stays bounded whatever the size of the tree, and one packed archive can be uploaded to
// several containers.
//
// Errors are stack::Error of kind Io naming the path and the system's reason (docker cp's
// wording where it has one: "lstat /x: no such file or directory").

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/stream.hpp"

namespace stack::runtime {

// An unnamed temporary file (gone when closed) that is written first, then read.
class SpoolFile {
 public:
  SpoolFile();  // throws kind Io when no temporary file can be made
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  void write(std::string_view bytes);
  std::FILE* file() const { return file_; }
  // A request body over the whole file from its start; the spool must outlive it.
  std::shared_ptr<BodySource> body();
  // The whole file from its start, in chunks, to `sink`.
  template <class Sink>
  void copyTo(Sink&& sink) {
    std::rewind(file_);
    char buffer[65536];
    for (size_t n = std::fread(buffer, 1, sizeof buffer, file_); n > 0;
         n = std::fread(buffer, 1, sizeof buffer, file_)) {
      sink(std::string_view(buffer, n));
    }
  }

 private:
  std::FILE* file_ = nullptr;
};

struct PackOptions {
  // The name of the archive's top entry; "." archives a directory's contents (entries are
  // named after their path below it, and the directory itself is left out).
  std::string root_name;
  // Follow `source` itself when it is a symlink (docker cp -L); links below it are
  // always stored as links.
  bool follow_link = false;
};

// Writes a tar of `source` (a file, a symlink or a directory, recursively) into `spool`.
// Entries keep their mode, uid, gid and mtime; sockets are left out, as docker cp does.
void packLocalPath(const std::filesystem::path& source, const PackOptions& options,
                   SpoolFile& spool);

struct ExtractOptions {
  // Entries named `rebase_from` or below it are renamed to start with `rebase_to`
  // (docker's RebaseArchiveEntries); empty: no renaming.
  std::string rebase_from;
  std::string rebase_to;
};

// Extracts the tar in `spool` into the existing directory `destination`, keeping modes
// and mtimes (not ownership, as docker cp does not). An entry that would leave the
// destination (absolute, or through "..") or replace a directory with a non-directory (or
// the reverse) fails the extraction.
void extractArchive(SpoolFile& spool, const std::filesystem::path& destination,
                    const ExtractOptions& options);

// In-memory archives of a few entries (the FakeContainerArchive's filesystem, tests).
enum class EntryKind { Regular, Directory, Symlink };
struct ArchiveEntry {
  std::string path;  // relative, without a trailing '/'
  EntryKind kind = EntryKind::Regular;
  std::string content;
  unsigned mode = 0644;
  std::string link_target;
};
// A pax tar of the entries, in order.
std::string tarOfEntries(const std::vector<ArchiveEntry>& entries);
// The regular files, directories and symlinks of a tar ("./" and trailing '/' removed).
// Throws kind Engine ("Error processing tar file: ...") when it is malformed.
std::vector<ArchiveEntry> entriesOf(std::string_view tar);

}  // namespace stack::runtime
