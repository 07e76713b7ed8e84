#pragma once

// ContextWalker: the entries of a build context, in a stable order, with .dockerignore
// applied as the docker CLI applies it. The tar stream and the content hash both walk
// with it, so they always agree on what the context holds.
//
// Contract:
//   - Order: depth first; within a directory, bytewise by name, a directory's name
//     compared with a trailing '/'. That makes the sequence of paths sorted bytewise when
//     each directory's path is written with a trailing '/'.
//   - Nothing is ever followed: entries are read with lstat relative to an open directory
//     (openat with O_NOFOLLOW), so a symlink is reported as a link (with readlink's
//     target) and a symlink to a directory is never entered, even if the tree changes
//     during the walk. Nothing outside the root can be reached.
//   - Excluded entries are left out. An excluded directory is not reported and is entered
//     only when IgnoreMatcher::mayReinclude says an exception may re-include something in
//     it; then its re-included descendants are reported without it.
//   - Sockets and FIFOs are left out. An entry that vanishes between listing and lstat is
//     skipped (the docker CLI does the same).
//   - Memory: the open directories on the current path and their name lists; nothing that
//     grows with the number of files elsewhere in the tree.
//   - Errors: an unreadable directory or entry throws stack::Error (kind Io) naming it.

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/context/ignore_matcher.hpp"
#include "runtime/context/unique_fd.hpp"

namespace stack::runtime::context {

enum class EntryType { Regular, Directory, Symlink, CharDevice, BlockDevice };

struct ContextEntry {
  std::string path;  // relative slash path without a trailing '/', e.g. "src/main.cpp"
  EntryType type = EntryType::Regular;
  struct stat info {};      // lstat of the entry
  std::string link_target;  // Symlink only
};

class ContextWalker {
 public:
  // `root` must be a directory (it is opened following symlinks: resolve it first).
  // `hidden` names root-level entries to leave out, because the caller supplies its own.
  ContextWalker(const std::filesystem::path& root, std::shared_ptr<const IgnoreMatcher> matcher,
                std::vector<std::string> hidden = {});

  // The next entry, or false at the end.
  bool next(ContextEntry& entry);

  // Opens the regular file last returned by next() for reading, checking that it is still
  // the same file (the same device and inode, still regular). Throws stack::Error (Io).
  UniqueFd openFile(const ContextEntry& entry) const;

 private:
  struct Child {
    std::string key;  // the name, with a trailing '/' for a directory (the sort key)
    bool directory = false;
    std::string_view name() const {
      return std::string_view(key).substr(0, key.size() - (directory ? 1 : 0));
    }
  };
  struct Frame {
    UniqueFd fd;
    std::string prefix;  // the directory's path with a trailing '/', or "" for the root
    std::vector<Child> children;
    size_t next = 0;
    IgnoreMatcher::ParentMatches matches;
  };

  void push(UniqueFd fd, std::string prefix, IgnoreMatcher::ParentMatches matches);
  bool visit(Frame& frame, const Child& child, ContextEntry& entry);
  std::string describe(const std::string& path) const;

  std::filesystem::path root_;
  std::shared_ptr<const IgnoreMatcher> matcher_;
  std::vector<std::string> hidden_;
  std::vector<Frame> frames_;
  int last_parent_fd_ = -1;  // where the entry last returned by next() lives
  std::string last_name_;
};

// "cannot read <what> \"<path>\": <strerror(err)>" as a stack::Error of kind Io.
[[noreturn]] void throwIo(const std::string& what, const std::string& path, int err);

}  // namespace stack::runtime::context
