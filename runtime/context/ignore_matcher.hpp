#pragma once

// .dockerignore: reading the file and deciding which paths of a build context it
// excludes, with the semantics of the docker CLI (moby/patternmatcher and its ignorefile
// package; engine-api.md §3).
//
// Reading (readIgnoreFile): a UTF-8 BOM is stripped; a line starting with '#' is a comment
// (only in the first column); each line is trimmed of white space and skipped when empty;
// a leading '!' marks an exception; the rest is path-cleaned and one leading '/' removed.
//
// Matching (IgnoreMatcher): patterns are evaluated in order and the last one that matches
// wins: a path is excluded when the last matching pattern is not an exception. A pattern
// that matches a parent directory of the path counts as matching the path. A lone '!' and
// invalid patterns are errors. See ignore_pattern.hpp for how one pattern matches.
//
// Walking: a context walker that meets an excluded directory skips it entirely unless
// mayReinclude(dir) says an exception could re-include something inside it (an exception
// whose text starts with "<dir>/"); this is the only way `!dir/keep` can win over `dir`,
// and, as in docker, `!**/keep` does not rescue files inside an excluded `dir`.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/context/ignore_pattern.hpp"

namespace stack::runtime::context {

// One pattern line of a .dockerignore file, after the reading rules above.
struct IgnoreLine {
  std::string pattern;  // e.g. "node_modules", "!src/keep.txt"
  int line = 0;         // 1-based line number in the file
};

// Throws stack::Error (kind Config) when a line is longer than 64 KiB, as docker does.
// `file` names the file in that error.
std::vector<IgnoreLine> readIgnoreFile(std::string_view contents, const std::string& file);

class IgnoreMatcher {
 public:
  // The per-pattern results for a directory, which its children reuse instead of
  // re-matching every parent (moby's MatchInfo). An empty value means "not known".
  class ParentMatches {
   public:
    bool empty() const noexcept { return matched_.empty(); }

   private:
    friend class IgnoreMatcher;
    std::vector<bool> matched_;
  };

  IgnoreMatcher() = default;
  // Compiles the lines in order. Throws stack::Error (kind Config) naming `file` and the
  // line for a lone '!' or an invalid pattern.
  IgnoreMatcher(const std::vector<IgnoreLine>& lines, const std::string& file);

  // Appends a pattern, e.g. "!Dockerfile" to keep the Dockerfile whatever the file says.
  // Trimmed and path-cleaned like moby's matcher does; unlike readIgnoreFile, a leading
  // '/' is kept (and then matches nothing). Throws as the constructor.
  void add(std::string_view pattern, int line = 0);

  // Whether `path` (a clean slash path relative to the context root) is excluded, taking
  // every parent directory into account.
  bool excludes(std::string_view path) const;
  // The same, reusing the results of the parent directory (`parent` may be empty), and
  // storing this path's results in `*result` when it is not null, for its children.
  bool excludes(std::string_view path, const ParentMatches& parent, ParentMatches* result) const;

  // Whether an exception pattern could re-include something under the excluded
  // directory `dir`, so a walker has to descend into it.
  bool mayReinclude(std::string_view dir) const;

  bool hasExceptions() const noexcept { return has_exceptions_; }
  const std::vector<IgnorePattern>& patterns() const noexcept { return patterns_; }

 private:
  bool matchesSelfOrParent(const IgnorePattern& pattern, std::string_view path) const;

  std::vector<IgnorePattern> patterns_;
  bool has_exceptions_ = false;
  std::string file_;
};

}  // namespace stack::runtime::context
