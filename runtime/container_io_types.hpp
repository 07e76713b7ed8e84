#pragma once

// Value types of the ContainerArchive calls (container_archive.hpp): file archives for
// `cp`.

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/stream.hpp"

namespace stack::runtime {

// Bytes of a body as they arrive (a tar archive): each item is one chunk.
using ByteStream = Stream<std::string>;

// What the engine says of a path inside a container (the X-Docker-Container-Path-Stat
// header of the archive endpoints). `mode` carries Go's os.FileMode bits as the engine
// sends them: the permission bits, plus one type bit for anything but a regular file.
struct PathStat {
  static constexpr uint32_t kDirectory = 1u << 31;
  static constexpr uint32_t kSymlink = 1u << 27;
  // Every type bit of os.FileMode (dir, append, exclusive, temporary, symlink, device,
  // pipe, socket, setuid, setgid, char device, sticky, irregular) but the permission ones.
  static constexpr uint32_t kTypeMask = kDirectory | (1u << 30) | (1u << 29) | (1u << 28) |
                                        kSymlink | (1u << 26) | (1u << 25) | (1u << 24) |
                                        (1u << 21) | (1u << 19);

  std::string name;  // the base name
  int64_t size = 0;
  uint32_t mode = 0;
  std::string mtime;        // RFC 3339
  std::string link_target;  // a symlink's target as stored, else ""

  bool isDirectory() const { return (mode & kDirectory) != 0; }
  bool isSymlink() const { return (mode & kSymlink) != 0; }
  bool isRegular() const { return (mode & kTypeMask) == 0; }
};

// A tar archive of a container path: entries are named after the path's base name (a
// directory's contents below it), and `stat` describes the path itself.
struct ArchiveDownload {
  PathStat stat;
  std::unique_ptr<ByteStream> tar;
};

struct CopyToOptions {
  bool copy_uid_gid = false;  // -a: the engine sets ownership from the container's user
  // Refuse to replace a directory with a non-directory and the reverse (docker cp's
  // AllowOverwriteDirWithFile=false).
  bool no_overwrite_dir_non_dir = true;
};

}  // namespace stack::runtime
