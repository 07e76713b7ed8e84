// .dockerignore reading and matching. The input is an ignore file, then a NUL byte, then
// paths one per line. Besides "no crash, no hang", single patterns made of plain ASCII
// are checked against an oracle: the regular expression moby's patternmatcher builds for
// them (its compile step, transcribed), run by std::regex.

#include <regex>

#include "core/error.hpp"
#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/context/ignore_matcher.hpp"

using stack::runtime::context::IgnoreMatcher;
using stack::runtime::context::IgnorePattern;

namespace {

// Plain ASCII without classes or escapes (where we deliberately differ from moby's
// regexp reading) and without line breaks (std::regex's '.' also refuses '\r').
bool oracleApplies(std::string_view text) {
  if (text.size() > 24) return false;
  for (char c : text) {
    if (c < 0x20 || c > 0x7e || c == '[' || c == ']' || c == '\\' || c == '^') return false;
  }
  return true;
}

// moby's Pattern.compile and Pattern.match for such patterns, compiled once per pattern.
class Oracle {
 public:
  explicit Oracle(const std::string& p) : p_(p) {
    std::string re = "^";
    for (size_t i = 0, pos = 0; pos < p.size(); ++i) {
      char ch = p[pos++];
      if (ch == '*' && pos < p.size() && p[pos] == '*') {
        ++pos;
        if (pos < p.size() && p[pos] == '/') ++pos;
        if (pos == p.size()) {
          if (type_ == Exact) {
            type_ = Prefix;
          } else {
            re += ".*";
            type_ = Regexp;
          }
        } else {
          re += "(.*/)?";
          type_ = Regexp;
        }
        if (i == 0) type_ = Suffix;
      } else if (ch == '*') {
        re += "[^/]*";
        type_ = Regexp;
      } else if (ch == '?') {
        re += "[^/]";
        type_ = Regexp;
      } else if (std::string_view(".+()|{}$").find(ch) != std::string_view::npos) {
        re += std::string("\\") + ch;
      } else {
        re += ch;
      }
    }
    if (type_ == Regexp) regex_ = std::regex(re + "$");
  }

  bool matches(const std::string& path) const {
    switch (type_) {
      case Exact:
        return path == p_;
      case Prefix:
        return path.rfind(p_.substr(0, p_.size() - 2), 0) == 0;
      case Suffix: {
        std::string suffix = p_.substr(2);
        if (path.size() >= suffix.size() &&
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
          return true;
        }
        return !suffix.empty() && suffix[0] == '/' && path == suffix.substr(1);
      }
      case Regexp:
        return std::regex_match(path, regex_);
    }
    return false;
  }

 private:
  enum { Exact, Prefix, Suffix, Regexp } type_ = Exact;
  std::string p_;
  std::regex regex_;
};

bool pathApplies(std::string_view path) {
  if (path.size() > 48) return false;
  for (char c : path) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view file = input.substr(0, nul);
  std::string_view paths = nul == std::string_view::npos ? "a/b/c\nfoo\n" : input.substr(nul + 1);
  IgnoreMatcher matcher;
  try {
    matcher = IgnoreMatcher(stack::runtime::context::readIgnoreFile(file, ".dockerignore"),
                            ".dockerignore");
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Config) std::abort();
    return 0;
  }
  std::vector<std::pair<const IgnorePattern*, Oracle>> oracles;
  for (const IgnorePattern& pattern : matcher.patterns()) {
    if (oracles.size() < 16 && oracleApplies(pattern.text())) {
      oracles.emplace_back(&pattern, Oracle(pattern.text()));
    }
  }
  for (int count = 0; !paths.empty() && count < 64; ++count) {
    size_t end = paths.find('\n');
    std::string path(paths.substr(0, end));
    paths.remove_prefix(end == std::string_view::npos ? paths.size() : end + 1);
    IgnoreMatcher::ParentMatches info;
    bool excluded = matcher.excludes(path);
    if (matcher.excludes(path, IgnoreMatcher::ParentMatches{}, &info) != excluded) std::abort();
    matcher.excludes(path + "/x", info, nullptr);
    matcher.mayReinclude(path);
    if (!pathApplies(path)) continue;
    for (const auto& [pattern, oracle] : oracles) {
      if (pattern->matches(path) != oracle.matches(path)) {
        std::fprintf(stderr, "pattern \"%s\" path \"%s\": ours %d, moby %d\n",
                     pattern->text().c_str(), path.c_str(), pattern->matches(path),
                     oracle.matches(path));
        std::abort();
      }
    }
  }
  return 0;
}
