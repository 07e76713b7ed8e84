#pragma once

// BuildContext: a build's context directory and Dockerfile, resolved once, from which the
// tar body of POST /build (context_tar.hpp) and the context hash (context_hash.hpp) are
// produced. It follows what the docker CLI does (engine-api.md §3):
//
//   - The context directory is resolved through symlinks; only the root .dockerignore is
//     read. The .dockerignore and the Dockerfile are always sent: when the patterns would
//     exclude them, "!.dockerignore" and "!<dockerfile>" are appended, as the CLI does.
//   - The Dockerfile path is relative to the context directory (as in compose's
//     build.dockerfile) or absolute; empty means "Dockerfile", or "dockerfile" when only
//     that exists. It is resolved through symlinks. Inside the context, dockerfile() is
//     its slash path relative to the root.
//   - A Dockerfile outside the context, or an inline one (compose's dockerfile_inline), is
//     added at the tar root as ".stack-dockerfile-<first 16 hex digits of its SHA-256>", a
//     name that only changes with the content, so hashes stay stable. That name is
//     appended to the tar's .dockerignore (a ".dockerignore" holding ".dockerignore" and
//     the name is made up when the context has none), so the build does not see it, and
//     dockerfile() returns it.
//
// Errors: a missing context directory or Dockerfile throws stack::Error (kind Build); a
// bad .dockerignore throws kind Config with file and line; unreadable files throw Io.
// The object is cheap to copy and immutable; streams made from it may outlive it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/context/ignore_matcher.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::context {

struct BuildContextOptions {
  std::filesystem::path context;                 // the context directory
  std::string dockerfile;                        // see above; ignored with dockerfile_inline
  std::optional<std::string> dockerfile_inline;  // the Dockerfile's text itself
};

// A file placed at the tar root instead of anything of that name in the directory.
struct VirtualFile {
  std::string name;
  std::string content;
  unsigned perm = 0600;  // what the docker CLI gives the files it makes up
  int64_t mtime = 0;     // seconds; 0 keeps generated entries reproducible
};

// Everything a tar stream or a hash needs, shared between them.
struct ResolvedContext {
  std::filesystem::path root;  // canonical
  std::shared_ptr<const IgnoreMatcher> matcher;
  std::string dockerfile;          // the build's `dockerfile` parameter
  std::string dockerfile_content;  // the Dockerfile's bytes
  std::vector<VirtualFile> virtual_files;

  // Root-level names the walk leaves out because a virtual file replaces them.
  std::vector<std::string> hiddenNames() const;
};

class BuildContext {
 public:
  static constexpr size_t kMaxSmallFile = 16 * 1024 * 1024;  // Dockerfile, .dockerignore

  static BuildContext open(const BuildContextOptions& options);

  const std::filesystem::path& root() const noexcept { return resolved_->root; }
  // The value of the build's `dockerfile` parameter.
  const std::string& dockerfile() const noexcept { return resolved_->dockerfile; }
  // True when the Dockerfile travels under a generated name.
  bool dockerfileGenerated() const noexcept { return !resolved_->virtual_files.empty(); }
  const IgnoreMatcher& ignore() const noexcept { return *resolved_->matcher; }
  const std::shared_ptr<const ResolvedContext>& resolved() const noexcept { return resolved_; }

  // A new tar stream of the context, produced lazily as it is read (context_tar.hpp).
  std::shared_ptr<BodySource> tar() const;

 private:
  explicit BuildContext(std::shared_ptr<const ResolvedContext> resolved)
      : resolved_(std::move(resolved)) {}

  std::shared_ptr<const ResolvedContext> resolved_;
};

}  // namespace stack::runtime::context
