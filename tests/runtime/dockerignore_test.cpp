// .dockerignore reading and matching, table-driven. Most rows come from the tables of
// moby/patternmatcher (and Go's filepath.Match tests it borrows), the rules docker uses.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/context/ignore_matcher.hpp"
#include "runtime/context/text_util.hpp"

namespace stack::runtime::context {
namespace {

IgnoreMatcher matcherOf(const std::vector<std::string>& patterns) {
  IgnoreMatcher matcher;
  for (const std::string& p : patterns) matcher.add(p);
  return matcher;
}

// The answer a walker gets, which reuses each parent directory's results.
bool excludedWalking(const IgnoreMatcher& matcher, const std::string& path) {
  IgnoreMatcher::ParentMatches parent;
  for (size_t slash = path.find('/'); slash != std::string::npos && slash > 0;
       slash = path.find('/', slash + 1)) {
    IgnoreMatcher::ParentMatches next;
    matcher.excludes(path.substr(0, slash), parent, &next);
    parent = next;
  }
  return matcher.excludes(path, parent, nullptr);
}

struct Row {
  std::vector<std::string> patterns;
  std::string path;
  bool excluded;
};

void checkRows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    std::string patterns;
    for (const auto& p : row.patterns) patterns += "[" + p + "] ";
    CAPTURE(patterns);
    CAPTURE(row.path);
    IgnoreMatcher matcher = matcherOf(row.patterns);
    CHECK(matcher.excludes(row.path) == row.excluded);
    CHECK(excludedWalking(matcher, row.path) == row.excluded);
  }
}

TEST_CASE("single patterns: anchoring, *, ?, classes, escapes, **") {
  checkRows({
      // `**` in all its places (patternmatcher TestMatches)
      {{"**"}, "file", true},
      {{"**"}, "file/", true},
      {{"**/"}, "file", true},
      {{"**/"}, "file/", true},
      {{"**"}, "/", true},
      {{"**/"}, "/", true},
      {{"**"}, "dir/file", true},
      {{"**/"}, "dir/file", true},
      {{"**"}, "dir/file/", true},
      {{"**/"}, "dir/file/", true},
      {{"**/**"}, "dir/file", true},
      {{"**/**"}, "dir/file/", true},
      {{"dir/**"}, "dir/file", true},
      {{"dir/**"}, "dir/file/", true},
      {{"dir/**"}, "dir/dir2/file", true},
      {{"dir/**"}, "dir/dir2/file/", true},
      {{"**/dir"}, "dir", true},
      {{"**/dir"}, "dir/file", true},
      {{"**/dir2/*"}, "dir/dir2/file", true},
      {{"**/dir2/*"}, "dir/dir2/file/", true},
      {{"**/dir2/**"}, "dir/dir2/dir3/file", true},
      {{"**/dir2/**"}, "dir/dir2/dir3/file/", true},
      {{"**file"}, "file", true},
      {{"**file"}, "dir/file", true},
      {{"**/file"}, "dir/file", true},
      {{"**file"}, "dir/dir/file", true},
      {{"**/file"}, "dir/dir/file", true},
      {{"**/file*"}, "dir/dir/file", true},
      {{"**/file*"}, "dir/dir/file.txt", true},
      {{"**/file*txt"}, "dir/dir/file.txt", true},
      {{"**/file*.txt"}, "dir/dir/file.txt", true},
      {{"**/file*.txt*"}, "dir/dir/file.txt", true},
      {{"**/**/*.txt"}, "dir/dir/file.txt", true},
      {{"**/**/*.txt2"}, "dir/dir/file.txt", false},
      {{"**/*.txt"}, "file.txt", true},
      {{"**/**/*.txt"}, "file.txt", true},
      {{"a**/*.txt"}, "a/file.txt", true},
      {{"a**/*.txt"}, "a/dir/file.txt", true},
      {{"a**/*.txt"}, "a/dir/dir/file.txt", true},
      {{"a/*.txt"}, "a/dir/file.txt", false},
      {{"a/*.txt"}, "a/file.txt", true},
      {{"a/*.txt**"}, "a/file.txt", true},
      {{"**/foo/bar"}, "foo/bar", true},
      {{"**/foo/bar"}, "dir/foo/bar", true},
      {{"**/foo/bar"}, "dir/dir2/foo/bar", true},
      {{"abc/**"}, "abc", false},
      {{"abc/**"}, "abc/def", true},
      {{"abc/**"}, "abc/def/ghi", true},
      {{"**/.foo"}, ".foo", true},
      {{"**/.foo"}, "bar.foo", false},
      // classes, `?`, regexp metacharacters taken literally
      {{"a[b-d]e"}, "ae", false},
      {{"a[b-d]e"}, "ace", true},
      {{"a[b-d]e"}, "aae", false},
      {{"a[^b-d]e"}, "aze", true},
      {{".*"}, ".foo", true},
      {{".*"}, "foo", false},
      {{"abc.def"}, "abcdef", false},
      {{"abc.def"}, "abc.def", true},
      {{"abc.def"}, "abcZdef", false},
      {{"abc?def"}, "abcZdef", true},
      {{"abc?def"}, "abcdef", false},
      {{"a\\\\"}, "a\\", true},
      {{"a\\*b"}, "a*b", true},
      {{"a(b)c/def"}, "a(b)c/def", true},
      {{"a(b)c/def"}, "a(b)c/xyz", false},
      {{"a.|)$(}+{bc"}, "a.|)$(}+{bc", true},
      {{"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"},
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
       true},
      {{"dist/*.whl"}, "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
  });
}

TEST_CASE("filepath.Match rows, characters and anchoring") {
  checkRows({
      {{"abc"}, "abc", true},
      {{"*"}, "abc", true},
      {{"*c"}, "abc", true},
      {{"a*"}, "a", true},
      {{"a*"}, "abc", true},
      {{"a*"}, "ab/c", true},  // via its parent "ab"
      {{"a*/b"}, "abc/b", true},
      {{"a*/b"}, "a/c/b", false},
      {{"a*b*c*d*e*/f"}, "axbxcxdxe/f", true},
      {{"a*b*c*d*e*/f"}, "axbxcxdxexxx/f", true},
      {{"a*b*c*d*e*/f"}, "axbxcxdxe/xxx/f", false},
      {{"a*b*c*d*e*/f"}, "axbxcxdxexxx/fff", false},
      {{"a*b?c*x"}, "abxbbxdbxebxczzx", true},
      {{"a*b?c*x"}, "abxbbxdbxebxczzy", false},
      {{"ab[c]"}, "abc", true},
      {{"ab[b-d]"}, "abc", true},
      {{"ab[e-g]"}, "abc", false},
      {{"ab[^c]"}, "abc", false},
      {{"ab[^b-d]"}, "abc", false},
      {{"ab[^e-g]"}, "abc", true},
      {{"a\\*b"}, "ab", false},
      {{"a?b"}, "a☺b", true},
      {{"a[^a]b"}, "a☺b", true},
      {{"a???b"}, "a☺b", false},
      {{"a[^a][^a][^a]b"}, "a☺b", false},
      {{"[a-ζ]*"}, "α", true},
      {{"*[a-ζ]"}, "A", false},
      {{"a?b"}, "a/b", false},
      {{"a*b"}, "a/b", false},
      {{"[\\]a]"}, "]", true},
      {{"[\\-]"}, "-", true},
      {{"[x\\-]"}, "x", true},
      {{"[x\\-]"}, "-", true},
      {{"[x\\-]"}, "z", false},
      {{"[\\-x]"}, "x", true},
      {{"[\\-x]"}, "-", true},
      {{"[\\-x]"}, "a", false},
      {{"*x"}, "xxx", true},
      // anchored at the root; a matching parent excludes its children
      {{"foo"}, "a/foo", false},
      {{"foo"}, "foo/bar/baz", true},
      {{"a/b"}, "a/b/c", true},
      {{"a/b"}, "x/a/b", false},
      {{"*.go"}, "dir/x.go", false},
      {{"*/*.go"}, "dir/x.go", true},
      {{"/abs"}, "abs", false} /* reading strips '/', matching does not */,
      {{"./rel/"}, "rel/x", true},
      {{"a/../b"}, "b", true},
      {{"  spaced  "}, "spaced", true},
      {{"\xff*"}, "\xfe", true},
      // moby quirks kept: `**text` is "ends with text"; `.` in `**` stops at '\n'
      {{"**file"}, "myfile", true},
      {{"**/file"}, "myfile", false},
      {{"a/**"}, "a/x\ny", true},
      {{"a/**/b"}, "a/x\ny/b", false},
      {{"a/**/b"}, "a/x/y/b", true},
      {{"a[/]b"}, "a/b", true},
      {{"a[^x]b"}, "a/b", true},
  });
}

TEST_CASE("several patterns: last match wins, exceptions, parents") {
  checkRows({
      {{"*.go", "!fileutils.go"}, "fileutils.go", false},
      {{"!fileutils.go", "*.go"}, "fileutils.go", true},
      {{"docs", "!docs/README.md"}, "docs/README.md", false},
      {{"docs/", "!docs/README.md"}, "docs/README.md", false},
      {{"docs/*", "!docs/README.md"}, "docs/README.md", false},
      {{"docs", "!docs/README.md"}, "docs/other.md", true},
      {{"**", "!util/docker/web"}, "util/docker/web/foo", false},
      {{"**", "!util/docker/web", "util/docker/web/foo"}, "util/docker/web/foo", true},
      {{"**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"},
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
       false},
      {{"**", "!dist/*.whl"}, "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
      {{"*", "!keep", "keep/tmp"}, "keep/tmp/x", true},
      {{"*", "!keep", "keep/tmp"}, "keep/src/x", false},
      {{"*.md", "!README*.md", "README-secret.md"}, "README-secret.md", true},
      {{"*.md", "!README*.md", "README-secret.md"}, "README.md", false},
      {{"node_modules"}, "node_modules/a/b/c.js", true},
      {{"**/node_modules"}, "pkg/node_modules/a.js", true},
      {{}, "anything", false},
  });
}

TEST_CASE("invalid patterns and a lone ! are Config errors naming the file and line") {
  std::vector<std::string> invalid = {
      "[",    "[^",      "[^bc", "a[", "\\",    "[]a]",          "[-]",  "[x-]",
      "[-x]", "[a-b-c]", "!",    "! ", "[z-a]", "[Local-Only]/", "ok/\\"};
  for (const std::string& pattern : invalid) {
    CAPTURE(pattern);
    try {
      IgnoreMatcher matcher({{"fine", 1}, {pattern, 2}}, "/ctx/.dockerignore");
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Config);
      CHECK(e.location().file == "/ctx/.dockerignore");
      CHECK(e.location().line == 2);
      CHECK_FALSE(e.hint().empty());
    }
  }
}

TEST_CASE("reading a .dockerignore file") {
  const std::string content =
      "\xEF\xBB\xBFtest1\n/test2\r\n/a/file/here\n\nlastfile\n# this is a comment\n"
      "  # not a comment, since '#' is not in the first column\n"
      "! /inverted/abs/path\n\t!  spaced//x/./y/../z  \n//root\n/\n!\n! ";
  std::vector<IgnoreLine> lines = readIgnoreFile(content, ".dockerignore");
  std::vector<std::pair<std::string, int>> got;
  for (const auto& l : lines) got.emplace_back(l.pattern, l.line);
  std::vector<std::pair<std::string, int>> expected = {
      {"test1", 1},
      {"test2", 2},
      {"a/file/here", 3},
      {"lastfile", 5},
      {"# not a comment, since '#' is not in the first column", 7},
      {"!inverted/abs/path", 8},
      {"!spaced/x/z", 9},
      {"root", 10},
      {"/", 11},
      {"!", 12},
      {"!", 13}};
  CHECK(got == expected);
  CHECK_THROWS_AS(IgnoreMatcher(lines, ".dockerignore"), Error);
  CHECK(readIgnoreFile("", "f").empty());
  CHECK_THROWS_AS(readIgnoreFile(std::string(70000, 'x'), "f"), Error);
}

TEST_CASE("descending into excluded directories only for a possible re-inclusion") {
  struct DescentRow {
    std::vector<std::string> patterns;
    std::string dir;
    bool descend;
  };
  std::vector<DescentRow> rows = {
      {{"dir"}, "dir", false},
      {{"dir", "!dir/keep"}, "dir", true},
      {{"dir", "!dir"}, "dir", true},
      {{"dir", "!dir/*.go"}, "dir", true},
      {{"dir", "!**/keep"}, "dir", false},  // docker skips it too
      {{"dir", "!d*/keep"}, "dir", false},
      {{"a", "!a/b/c"}, "a/b", true},
      {{"a", "!a/b/c"}, "a/x", false},
      {{"dir", "!dirx/keep"}, "dir", false},
  };
  for (const DescentRow& row : rows) {
    CAPTURE(row.dir);
    CHECK(matcherOf(row.patterns).mayReinclude(row.dir) == row.descend);
  }
}

TEST_CASE("Go path cleaning and white space trimming") {
  std::vector<std::pair<std::string, std::string>> clean = {
      {"", "."},        {"a/b", "a/b"},    {"a//b", "a/b"},       {"a/./b", "a/b"}, {"a/../b", "b"},
      {"../a", "../a"}, {"a/../..", ".."}, {"/../a", "/a"},       {"a/", "a"},      {"/", "/"},
      {"./", "."},      {"!a/../b", "b"},  {"a/b/../../..", ".."}};
  for (const auto& [in, out] : clean) {
    CAPTURE(in);
    CHECK(cleanPath(in) == out);
  }
  CHECK(trimSpace("\t x \xC2\xA0") == "x");
  CHECK(trimSpace("\xE3\x80\x80y\xE2\x80\x83") == "y");  // U+3000, U+2003
  CHECK(trimSpace("z\xA0") == "z\xA0");                  // a lone byte is not a space
}

}  // namespace
}  // namespace stack::runtime::context
