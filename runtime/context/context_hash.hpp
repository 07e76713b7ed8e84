#pragma once

// The content hash of a build context, used to skip builds whose inputs did not change
// (stored as an image label and compared with the image's, engine-api.md §3).
//
// What goes in, in this order, each field length-framed (content_hasher.hpp):
//   - a format tag ("stack-context-v1");
//   - every entry the tar would hold, in the walker's order (context_walker.hpp): its
//     type, path, permission bits (st_mode & 07777), and for a regular file its size, the
//     SHA-256 of its content and its security.capability attribute; for a symlink its
//     target; for a device its device number. A hard link counts as a regular file.
//   - the virtual files (generated Dockerfile and .dockerignore): name, permission bits
//     and content digest;
//   - the `dockerfile` parameter and the Dockerfile's bytes.
// Left out: mtime, atime, ctime, uid, gid, inode numbers, and excluded files. So touch
// and chown keep the hash; a change of content, mode, name, symlink target, or of the
// .dockerignore (which is always part of the context) changes it.
//
// The returned hasher is not finished: the image builder adds build args, target, labels
// and base image ids with add(), then calls hexDigest().
//
// With a DigestCache, a regular file whose (dev, ino, size, mtime_ns) is cached is not
// read. Files modified within 2 seconds before the hash started are hashed but not
// cached, since a write in the same timestamp tick would leave the key unchanged.
// Errors: as for the walk (kind Io); a file that changes while it is read throws Io.

#include <cstdint>

#include "runtime/context/build_context.hpp"
#include "runtime/context/content_hasher.hpp"
#include "runtime/context/digest_cache.hpp"

namespace stack::runtime::context {

struct HashStats {
  uint64_t entries = 0;     // entries hashed
  uint64_t files = 0;       // regular files among them
  uint64_t bytes_read = 0;  // file content bytes read (0 when everything was cached)
  uint64_t cache_hits = 0;  // regular files whose digest came from the cache
};

ContentHasher hashContext(const BuildContext& context, DigestCache* cache = nullptr,
                          HashStats* stats = nullptr);

}  // namespace stack::runtime::context
