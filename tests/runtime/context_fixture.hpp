#pragma once

// Test helpers for build contexts: a temporary directory tree that removes itself, and a
// tar reader (libarchive) that lists what a context stream contains.

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "runtime/stream.hpp"

namespace stack::test {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    std::string pattern = (fs::temp_directory_path() / "stack-ctx-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const fs::path& root() const { return root_; }
  fs::path path(const std::string& relative) const { return root_ / relative; }

  void file(const std::string& relative, const std::string& content, mode_t mode = 0644) const {
    fs::create_directories(path(relative).parent_path());
    std::ofstream(path(relative), std::ios::binary) << content;
    REQUIRE(::chmod(path(relative).c_str(), mode) == 0);
  }
  void dir(const std::string& relative) const { fs::create_directories(path(relative)); }
  void symlink(const std::string& target, const std::string& relative) const {
    fs::create_directories(path(relative).parent_path());
    fs::create_symlink(target, path(relative));
  }

 private:
  fs::path root_;
};

struct TarEntry {
  std::string name;
  char type = '?';  // f, d, l (symlink), h (hard link)
  mode_t perm = 0;
  int64_t uid = -1, gid = -1;
  int64_t mtime = 0;
  long mtime_nsec = 0;
  std::string content;
  std::string link;  // symlink or hard link target
  std::string capability;
};

// Reads the whole body, `chunk` bytes per read() call.
inline std::string drain(runtime::BodySource& source, size_t chunk = 65536) {
  std::string bytes;
  std::vector<char> buffer(chunk);
  while (size_t n = source.read(buffer.data(), buffer.size())) bytes.append(buffer.data(), n);
  return bytes;
}

inline std::vector<TarEntry> listTar(const std::string& bytes) {
  std::vector<TarEntry> entries;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  REQUIRE(archive_read_open_memory(a, bytes.data(), bytes.size()) == ARCHIVE_OK);
  struct archive_entry* e = nullptr;
  int status;
  while ((status = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    TarEntry t;
    t.name = archive_entry_pathname(e);
    t.perm = archive_entry_perm(e);
    t.uid = archive_entry_uid(e);
    t.gid = archive_entry_gid(e);
    t.mtime = archive_entry_mtime(e);
    t.mtime_nsec = archive_entry_mtime_nsec(e);
    if (archive_entry_hardlink(e)) {
      t.type = 'h';
      t.link = archive_entry_hardlink(e);
    } else if (archive_entry_filetype(e) == AE_IFLNK) {
      t.type = 'l';
      t.link = archive_entry_symlink(e);
    } else {
      t.type = archive_entry_filetype(e) == AE_IFDIR ? 'd' : 'f';
    }
    char buffer[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) t.content.append(buffer, n);
    const char* name;
    const void* value;
    size_t size;
    archive_entry_xattr_reset(e);
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
      if (std::string(name) == "security.capability") {
        t.capability.assign(static_cast<const char*>(value), size);
      }
    }
    entries.push_back(t);
  }
  CHECK(status == ARCHIVE_EOF);
  archive_read_free(a);
  return entries;
}

inline std::vector<std::string> namesOf(const std::vector<TarEntry>& entries) {
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  return names;
}

inline const TarEntry* find(const std::vector<TarEntry>& entries, const std::string& name) {
  for (const auto& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace stack::test
