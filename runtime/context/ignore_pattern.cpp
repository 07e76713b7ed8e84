#include "runtime/context/ignore_pattern.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "runtime/context/text_util.hpp"

namespace stack::runtime::context {

namespace {

[[noreturn]] void badPattern(const std::string& reason) {
  throw std::invalid_argument(reason);
}

// One endpoint of a class range, as filepath.Match's getEsc reads it.
std::pair<char32_t, size_t> classChar(std::string_view text, size_t pos) {
  if (pos >= text.size()) badPattern("unterminated character class");
  if (text[pos] == '-' || text[pos] == ']') {
    badPattern("'" + std::string(1, text[pos]) + "' must be escaped in a character class");
  }
  if (text[pos] == '\\') {
    ++pos;
    if (pos >= text.size()) badPattern("unterminated character class");
  }
  auto [rune, width] = decodeRune(text, pos);
  if (rune == 0xFFFD && width == 1 && static_cast<unsigned char>(text[pos]) >= 0x80) {
    badPattern("invalid UTF-8 in a character class");
  }
  pos += width;
  if (pos >= text.size()) badPattern("unterminated character class");
  return {rune, pos};
}

}  // namespace

bool IgnorePattern::CharClass::contains(char32_t r) const {
  bool in = std::any_of(ranges.begin(), ranges.end(),
                        [r](const auto& range) { return range.first <= r && r <= range.second; });
  return in != negated;
}

IgnorePattern::IgnorePattern(std::string text, bool exception)
    : text_(std::move(text)), exception_(exception) {
  compile();
}

// Parses the class whose '[' is just before `pos`; returns the position after its ']'.
size_t IgnorePattern::parseClass(size_t pos) {
  CharClass klass;
  if (pos < text_.size() && text_[pos] == '^') {
    klass.negated = true;
    ++pos;
  }
  while (true) {
    if (pos < text_.size() && text_[pos] == ']' && !klass.ranges.empty()) break;
    auto [lo, after_lo] = classChar(text_, pos);
    pos = after_lo;
    char32_t hi = lo;
    if (text_[pos] == '-') std::tie(hi, pos) = classChar(text_, pos + 1);
    if (hi < lo) badPattern("character class range is out of order");
    klass.ranges.emplace_back(lo, hi);
  }
  classes_.push_back(std::move(klass));
  steps_.push_back({Op::Class, 0, classes_.size() - 1});
  return pos + 1;
}

// Mirrors the scan in moby's Pattern.compile, which decides between an exact, prefix,
// suffix or regexp match; the regexp becomes our steps.
void IgnorePattern::compile() {
  const std::string_view s = text_;
  size_t pos = 0;
  for (size_t i = 0; pos < s.size(); ++i) {
    const size_t start = pos;
    auto [ch, width] = decodeRune(s, pos);
    pos += width;
    if (ch == '*' && pos < s.size() && s[pos] == '*') {
      ++pos;
      if (pos < s.size() && s[pos] == '/') ++pos;  // `**/` is treated as `**`
      if (pos == s.size()) {
        if (type_ == Type::Exact) {
          type_ = Type::Prefix;
          affix_ = s.substr(0, start);
        } else {
          steps_.push_back({Op::AnyRun});
          type_ = Type::Glob;
        }
      } else {
        steps_.push_back({Op::SegmentsIn});
        steps_.push_back({Op::SegmentsRun});
        type_ = Type::Glob;
      }
      if (i == 0) {
        type_ = Type::Suffix;
        affix_ = s.substr(2);  // the text after `**`, including a '/'
      }
    } else if (ch == '*') {
      steps_.push_back({Op::Star});
      type_ = Type::Glob;
    } else if (ch == '?') {
      steps_.push_back({Op::AnyRune});
      type_ = Type::Glob;
    } else if (ch == '\\') {
      if (pos == s.size()) badPattern("the pattern ends with an unescaped '\\'");
      auto [escaped, escaped_width] = decodeRune(s, pos);
      pos += escaped_width;
      steps_.push_back({Op::Rune, escaped});
      type_ = Type::Glob;
    } else if (ch == '[') {
      pos = parseClass(pos);
      type_ = Type::Glob;
    } else {
      if (ch == ']') type_ = Type::Glob;  // moby passes it to the regexp, where it is literal
      steps_.push_back({Op::Rune, ch});
    }
  }
}

bool IgnorePattern::matches(std::string_view path) const {
  switch (type_) {
    case Type::Exact:
      return path == text_;
    case Type::Prefix:
      return path.substr(0, affix_.size()) == affix_;
    case Type::Suffix: {
      const std::string& suffix = affix_;
      if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
        return true;
      }
      return !suffix.empty() && suffix[0] == '/' && path == std::string_view(suffix).substr(1);
    }
    case Type::Glob:
      return matchSteps(path);
  }
  return false;
}

// Simulates the steps as an NFA over the characters of `path`: states are step indexes,
// and a set of live states is kept per byte position. A character spans up to 4 bytes, so
// only the next 4 positions can receive states: a ring of 5 rows suffices. The cost is
// O(path length x steps) with no backtracking, whatever the pattern.
bool IgnorePattern::matchSteps(std::string_view path) const {
  const size_t n = steps_.size();
  constexpr size_t kRing = 5;
  thread_local std::vector<unsigned char> ring;
  ring.assign(kRing * (n + 1), 0);
  auto row = [&](size_t at) { return ring.data() + (at % kRing) * (n + 1); };
  row(0)[0] = 1;
  size_t last_live = 0;
  for (size_t pos = 0; pos <= last_live; ++pos) {
    unsigned char* cur = row(pos);
    const bool more = pos < path.size();
    char32_t r = 0;
    size_t w = 0;
    if (more) std::tie(r, w) = decodeRune(path, pos);
    auto to = [&](size_t state) {
      row(pos + w)[state] = 1;
      last_live = std::max(last_live, pos + w);
    };
    for (size_t s = 0; s < n; ++s) {
      if (!cur[s]) continue;
      const Step& step = steps_[s];
      switch (step.op) {
        case Op::Rune:
          if (more && r == step.rune) to(s + 1);
          break;
        case Op::AnyRune:
          if (more && r != '/') to(s + 1);
          break;
        case Op::Class:
          if (more && classes_[step.klass].contains(r)) to(s + 1);
          break;
        case Op::Star:
          cur[s + 1] = 1;
          if (more && r != '/') to(s);
          break;
        case Op::AnyRun:
          cur[s + 1] = 1;
          if (more && r != '\n') to(s);
          break;
        case Op::SegmentsIn:
          cur[s + 1] = 1;
          cur[s + 2] = 1;
          break;
        case Op::SegmentsRun:
          if (more && r != '\n') {
            to(s);
            if (r == '/') to(s + 1);
          }
          break;
      }
    }
    if (!more) return cur[n] != 0;
    std::fill(cur, cur + n + 1, 0);
  }
  return false;
}

}  // namespace stack::runtime::context
