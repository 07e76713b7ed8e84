#pragma once

// The path rules of `stack cp`, as docker cp and docker compose cp apply them (moby's
// pkg/archive copy.go), kept pure so they can be tested without an engine: how an
// argument names a service or a local path, and where an archive of the source must be
// extracted, under which top name, for the copy to land where the user asked.

#include <optional>
#include <string>

namespace stack::orchestrator {

// "web:/etc/hosts" -> {"web", "/etc/hosts"}; "/abs", "./a:b", "file" -> {"", arg}
// (compose's splitCpArg: an absolute path or one starting with '.' is always local).
struct CopyArgument {
  std::string service;  // empty: a local path (or "-")
  std::string path;
};
CopyArgument parseCopyArgument(const std::string& argument);

// Go's filepath.Clean on slash paths.
std::string cleanPath(const std::string& path);
// SplitPathDirEntry: the parent and the base of the cleaned path, keeping a trailing "/."
// as the base "." ("/a/." -> {"/a", "."}).
std::pair<std::string, std::string> splitPathDirEntry(const std::string& path);
// True when the path says it is a directory: a trailing '/' or "/.".
bool assertsDirectory(const std::string& path);
// Joins a symlink's target to the directory of the link when it is relative.
std::string resolveLinkTarget(const std::string& link_path, const std::string& target);

struct CopySource {
  std::string path;  // as resolved (a followed symlink's target)
  bool is_dir = false;
  std::string rebase_name;  // the name the top entry must take instead of its base name
};

struct CopyDestination {
  std::string path;
  bool exists = false;
  bool is_dir = false;
};

// Where to extract, and the top name the archive's entries must take there (PrepareArchive
// Copy). `top_name` empty: keep the archive's names (the destination is a directory).
struct CopyPlacement {
  std::string directory;
  std::string top_name;
};

// Throws stack::Error (kind Io) with docker's words: "cannot copy directory" (a directory
// onto an existing file), "no such directory" (a file to a missing path ending in '/').
CopyPlacement placeCopy(const CopySource& source, const CopyDestination& destination);

}  // namespace stack::orchestrator
