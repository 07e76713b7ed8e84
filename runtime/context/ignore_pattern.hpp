#pragma once

// IgnorePattern: one compiled .dockerignore pattern with the matching rules of
// moby/patternmatcher (the library the docker CLI uses), reproduced case by case:
//
//   - A pattern is anchored at the context root and matched against a whole slash path:
//     `foo` matches "foo", not "a/foo".
//   - `*` matches any run of characters except '/', `?` one character except '/',
//     `[...]` a character class (`[^...]` negates, `a-z` ranges, `\` escapes inside).
//   - `\c` outside a class matches `c` literally.
//   - `**` matches any number of whole path segments: `**/` is "empty or anything ending
//     in '/'", and a trailing `**` is "anything". A pattern made only of a leading `**`
//     and literal text (`**/foo`, `**foo`) matches any path ending in that text, plus the
//     text itself at the root; a pattern made of literal text and a trailing `**`
//     (`dir/**`) matches any path starting with the text. Like moby, `.` inside `**`
//     does not cross a '\n' in a file name, whereas those two shortcuts do.
//   - Characters are UTF-8; an invalid byte counts as one character (U+FFFD).
//
// Syntax errors follow Go's filepath.Match (unterminated or empty class, a range without
// an end, `-` or `]` unescaped at the start of a range, a trailing `\`), plus a range whose
// end is below its start, which moby rejects only when it first matches. Known deviation:
// moby hands classes to Go's regexp engine, so inside a class it would treat `*`, `?`
// and `\d`-style escapes as regexp syntax; here they are the literal characters, which is
// what filepath.Match syntax (and every documented example) means.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stack::runtime::context {

class IgnorePattern {
 public:
  // `text` is the cleaned pattern without its leading '!'. Throws std::invalid_argument
  // with the reason when the syntax is invalid (the matcher turns it into a Config error
  // naming the file and line).
  IgnorePattern(std::string text, bool exception);

  // True for an exception (`!pattern`), which re-includes what it matches.
  bool exception() const noexcept { return exception_; }
  // The cleaned pattern text, without '!'.
  const std::string& text() const noexcept { return text_; }
  // Whether the slash path `path` (relative to the context root) matches.
  bool matches(std::string_view path) const;

 private:
  enum class Type { Exact, Prefix, Suffix, Glob };
  enum class Op : unsigned char {
    Rune,         // one given character
    AnyRune,      // `?`: one character except '/'
    Class,        // `[...]`
    Star,         // `*`: characters except '/'
    AnyRun,       // trailing `**`: characters except '\n'
    SegmentsIn,   // `**/` entry: skip it, or go through SegmentsRun
    SegmentsRun,  // inside `**/`: characters except '\n', leaving after a '/'
  };
  struct Step {
    Op op;
    char32_t rune = 0;  // Rune
    size_t klass = 0;   // Class: index into classes_
  };
  struct CharClass {
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool contains(char32_t r) const;
  };

  void compile();
  size_t parseClass(size_t pos);
  bool matchSteps(std::string_view path) const;

  std::string text_;
  bool exception_;
  Type type_ = Type::Exact;
  std::string affix_;  // Prefix: the text before `**`; Suffix: the text after it
  std::vector<Step> steps_;
  std::vector<CharClass> classes_;
};

}  // namespace stack::runtime::context
