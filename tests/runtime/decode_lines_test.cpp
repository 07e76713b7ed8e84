// Log line splitting per stream kind, and the LineBuffer underneath it.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/decode/multiplex_decoder.hpp"
#include "runtime/decode/output_line_splitter.hpp"
#include "tests/runtime/split_harness.hpp"

namespace stack::runtime::decode {
namespace {

using stack::test::checkEverySplit;
using stack::test::Pieces;

std::string frame(unsigned char type, std::string_view payload) {
  std::string out{char(type), 0, 0, 0, 0, 0, 0, char(payload.size())};
  return out + std::string(payload);
}

std::vector<std::string> drain(OutputLineSplitter& splitter) {
  std::vector<std::string> lines;
  while (auto line = splitter.next()) {
    lines.push_back(std::string(line->kind == OutputKind::Stderr ? "E:" : "O:") +
                    std::string(line->text) + (line->complete ? "" : "~"));
  }
  return lines;
}

// The multiplexed body goes through the frame decoder, then the line splitter.
std::vector<std::string> linesOf(const Pieces& pieces, size_t max_line = 1024) {
  MultiplexDecoder decoder;
  OutputLineSplitter splitter(max_line);
  std::vector<std::string> lines;
  std::vector<OutputChunk> chunks;
  for (std::string_view piece : pieces) {
    chunks.clear();
    decoder.feed(piece, chunks);
    for (const OutputChunk& chunk : chunks) {
      splitter.feed(chunk);
      for (auto& l : drain(splitter)) lines.push_back(l);
    }
  }
  decoder.finish();
  splitter.finish();
  for (auto& l : drain(splitter)) lines.push_back(l);
  return lines;
}

TEST_CASE("lines are assembled per stream at every split, and partial lines flush at the end") {
  std::string input = frame(1, "hel") + frame(2, "err1\nerr") + frame(1, "lo\r\n\nwor") +
                      frame(2, "2\n") + frame(1, "ld") + frame(2, "tail\r");
  std::vector<std::string> expected = {"E:err1", "O:hello", "O:", "E:err2", "O:world~", "E:tail~"};
  // A line is complete when its '\n' arrives, whatever the other stream does meanwhile.
  checkEverySplit(input, expected, [](const Pieces& p) { return linesOf(p); });
}

TEST_CASE("a long log line comes out in bounded pieces") {
  std::string input = frame(1, std::string(10, 'a') + "\n" + std::string(4, 'b'));
  std::vector<std::string> expected = {"O:aaaa~", "O:aaaa~", "O:aa", "O:bbbb~"};
  checkEverySplit(input, expected, [](const Pieces& p) { return linesOf(p, 4); });

  // A '\r' at the bound: before '\n' it ends the line, elsewhere it is content.
  std::string crs = frame(1, "aaaa\r\naaaa\rb\n");
  std::vector<std::string> expected_crs = {"O:aaaa", "O:aaaa~", "O:\rb"};
  checkEverySplit(crs, expected_crs, [](const Pieces& p) { return linesOf(p, 4); });
}

TEST_CASE("feeding before draining is a caller bug, reported as Internal") {
  OutputLineSplitter splitter;
  splitter.feed(OutputKind::Stdout, "a\nb\n");
  CHECK(splitter.next());
  try {
    splitter.feed(OutputKind::Stderr, "x");
    FAIL("expected a throw");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Internal);
  }
}

TEST_CASE("LineBuffer keeps a straddling line and hands in-chunk lines out without copies") {
  LineBuffer buffer(100, LineBuffer::Overflow::Throw, "test line");
  std::string first = "one\ntw";
  buffer.feed(first);
  auto line = buffer.next();
  REQUIRE(line);
  CHECK(line->text == "one");
  CHECK(line->text.data() == first.data());  // a view into the input
  CHECK_FALSE(buffer.next());
  CHECK(buffer.buffered() == 2);
  buffer.feed("o\n");
  line = buffer.next();
  REQUIRE(line);
  CHECK(line->text == "two");
  CHECK_FALSE(buffer.next());
  CHECK_FALSE(buffer.flush());
}

}  // namespace
}  // namespace stack::runtime::decode
