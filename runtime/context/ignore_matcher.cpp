#include "runtime/context/ignore_matcher.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "runtime/context/text_util.hpp"

namespace stack::runtime::context {

namespace {

// bufio.Scanner's default limit, which makes docker fail on longer lines.
constexpr size_t kMaxLine = 64 * 1024;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr const char* kIgnoreHint =
    "fix or remove the line; .dockerignore patterns follow "
    "https://docs.docker.com/engine/reference/builder/#dockerignore-file";

Error ignoreError(const std::string& file, int line, std::string message) {
  Error error(ErrorKind::Config, std::move(message), kIgnoreHint);
  error.setLocation(SourceLocation{file, line, 0, {}});
  return error;
}

// One line after the reading rules, or "" when the line holds no pattern.
std::string readPattern(std::string_view raw) {
  if (!raw.empty() && raw.front() == '#') return {};
  std::string_view text = trimSpace(raw);
  if (text.empty()) return {};
  const bool exception = text.front() == '!';
  if (exception) text = trimSpace(text.substr(1));
  std::string pattern;
  if (!text.empty()) {
    pattern = cleanPath(text);
    if (pattern.size() > 1 && pattern.front() == '/') pattern.erase(0, 1);
  }
  return exception ? "!" + pattern : pattern;
}

}  // namespace

std::vector<IgnoreLine> readIgnoreFile(std::string_view contents, const std::string& file) {
  if (contents.substr(0, kBom.size()) == kBom) contents.remove_prefix(kBom.size());
  std::vector<IgnoreLine> lines;
  int number = 0;
  while (!contents.empty()) {
    size_t end = contents.find('\n');
    std::string_view raw = contents.substr(0, end);
    contents.remove_prefix(end == std::string_view::npos ? contents.size() : end + 1);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    ++number;
    if (raw.size() > kMaxLine) {
      throw ignoreError(file, number, "the line is longer than 65536 bytes");
    }
    std::string pattern = readPattern(raw);
    if (!pattern.empty()) lines.push_back({std::move(pattern), number});
  }
  return lines;
}

IgnoreMatcher::IgnoreMatcher(const std::vector<IgnoreLine>& lines, const std::string& file)
    : file_(file) {
  patterns_.reserve(lines.size());
  for (const IgnoreLine& line : lines) add(line.pattern, line.line);
}

void IgnoreMatcher::add(std::string_view pattern, int line) {
  std::string_view trimmed = trimSpace(pattern);
  if (trimmed.empty()) return;
  std::string text = cleanPath(trimmed);
  bool exception = text.front() == '!';
  if (exception) {
    if (text.size() == 1) {
      throw ignoreError(file_, line, "a lone \"!\" is not a valid pattern");
    }
    text.erase(0, 1);
    has_exceptions_ = true;
  }
  try {
    patterns_.emplace_back(std::move(text), exception);
  } catch (const std::invalid_argument& e) {
    throw ignoreError(file_, line, "invalid pattern \"" + std::string(trimmed) + "\": " + e.what());
  }
}

// Go's filepath.Dir(path) split into elements, each prefix tried in turn.
bool IgnoreMatcher::matchesSelfOrParent(const IgnorePattern& pattern, std::string_view path) const {
  if (pattern.matches(path)) return true;
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return false;
  std::string dir = cleanPath(path.substr(0, slash + 1));
  for (size_t i = dir.find('/'); i != std::string::npos; i = dir.find('/', i + 1)) {
    if (pattern.matches(std::string_view(dir).substr(0, i))) return true;
  }
  return pattern.matches(dir);
}

bool IgnoreMatcher::excludes(std::string_view path) const {
  return excludes(path, ParentMatches{}, nullptr);
}

// moby's MatchesUsingParentResults, including its quirks: a pattern that cannot change the
// outcome is not evaluated and is recorded as not matching for the children.
bool IgnoreMatcher::excludes(std::string_view path, const ParentMatches& parent,
                             ParentMatches* result) const {
  bool excluded = false;
  std::vector<bool> matched(patterns_.size(), false);
  for (size_t i = 0; i < patterns_.size(); ++i) {
    const IgnorePattern& pattern = patterns_[i];
    bool match = !parent.empty() && parent.matched_[i];
    if (!match) {
      if (pattern.exception() != excluded) continue;
      match = parent.empty() ? matchesSelfOrParent(pattern, path) : pattern.matches(path);
    }
    matched[i] = match;
    if (match) excluded = !pattern.exception();
  }
  if (result) result->matched_ = std::move(matched);
  return excluded;
}

bool IgnoreMatcher::mayReinclude(std::string_view dir) const {
  if (!has_exceptions_) return false;
  std::string dir_slash = std::string(dir) + "/";
  for (const IgnorePattern& pattern : patterns_) {
    if (!pattern.exception()) continue;
    std::string text_slash = pattern.text() + "/";
    if (text_slash.compare(0, dir_slash.size(), dir_slash) == 0) return true;
  }
  return false;
}

}  // namespace stack::runtime::context
