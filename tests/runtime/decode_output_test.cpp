// Multiplexed and raw container output decoders, fed every possible split.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/decode/multiplex_decoder.hpp"
#include "runtime/decode/raw_stream_decoder.hpp"
#include "tests/runtime/split_harness.hpp"

namespace stack::runtime::decode {
namespace {

using stack::test::checkEverySplit;
using stack::test::Pieces;

std::string frame(unsigned char type, std::string_view payload) {
  std::string out{char(type), 0, 0, 0};
  uint32_t n = static_cast<uint32_t>(payload.size());
  for (int shift : {24, 16, 8, 0}) out += char((n >> shift) & 0xff);
  return out + std::string(payload);
}

// Output with adjacent same-kind chunks merged, so results from different splits compare.
using Canonical = std::vector<std::pair<OutputKind, std::string>>;

void append(Canonical& canonical, const std::vector<OutputChunk>& chunks) {
  for (const OutputChunk& chunk : chunks) {
    REQUIRE_FALSE(chunk.data.empty());
    if (!canonical.empty() && canonical.back().first == chunk.kind) {
      canonical.back().second += chunk.data;
    } else {
      canonical.emplace_back(chunk.kind, chunk.data);
    }
  }
}

// Decodes the pieces; an error ends the output with {Stderr, "ERROR: <message>"}.
Canonical decode(OutputDecoder& decoder, const Pieces& pieces) {
  Canonical canonical;
  std::vector<OutputChunk> out;
  try {
    for (std::string_view piece : pieces) {
      out.clear();
      decoder.feed(piece, out);
      append(canonical, out);
    }
    decoder.finish();
  } catch (const Error& e) {
    append(canonical, out);
    CHECK(e.kind() == ErrorKind::Engine);
    canonical.emplace_back(OutputKind::Stderr, "ERROR: " + e.message());
  }
  return canonical;
}

Canonical decodeMultiplexed(const Pieces& pieces) {
  MultiplexDecoder decoder;
  return decode(decoder, pieces);
}

TEST_CASE("multiplexed frames decode the same at every split") {
  // The bytes seen on a live engine (engine-api.md §2), plus stdin-as-stdout and empty frames.
  std::string input = frame(1, "out\n") + frame(2, "err\n") + frame(0, "in") + frame(1, "") +
                      frame(1, "more") + frame(2, "") + frame(2, "e2");
  Canonical expected = {{OutputKind::Stdout, "out\n"},
                        {OutputKind::Stderr, "err\n"},
                        {OutputKind::Stdout, "inmore"},
                        {OutputKind::Stderr, "e2"}};
  checkEverySplit(input, expected, decodeMultiplexed);
}

TEST_CASE("a daemon error frame throws after the output before it, at every split") {
  std::string input =
      frame(1, "partial output") + frame(3, "container is gone\n") + frame(1, "never decoded");
  Canonical expected = {
      {OutputKind::Stdout, "partial output"},
      {OutputKind::Stderr,
       "ERROR: the engine reported an error in the output stream: container is gone"}};
  checkEverySplit(input, expected, decodeMultiplexed);
}

TEST_CASE("an unknown stream type and a truncated stream are engine errors") {
  std::string unknown = frame(1, "ok") + frame(7, "??");
  Canonical expected_unknown = {
      {OutputKind::Stdout, "ok"},
      {OutputKind::Stderr, "ERROR: unexpected stream type 7 in a multiplexed output stream"}};
  checkEverySplit(unknown, expected_unknown, decodeMultiplexed);

  std::string whole = frame(2, "abcdef");
  Canonical truncated_error = {
      {OutputKind::Stderr, "ERROR: the multiplexed output stream ended in the middle of a frame"}};
  for (size_t cut = 1; cut < whole.size(); ++cut) {
    CAPTURE(cut);
    Canonical got = decodeMultiplexed({std::string_view(whole).substr(0, cut)});
    REQUIRE_FALSE(got.empty());
    CHECK(got.back() == truncated_error.back());
  }
  CHECK(decodeMultiplexed({whole}) == Canonical{{OutputKind::Stderr, "abcdef"}});
}

TEST_CASE("a huge frame streams its payload without buffering it") {
  // Declares 16 MiB and delivers 3 bytes: they must come out at once.
  std::string header = frame(1, "").substr(0, 4) + std::string("\x01\x00\x00\x00", 4);
  MultiplexDecoder decoder;
  std::vector<OutputChunk> out;
  decoder.feed(header + "abc", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "abc");
  out.clear();
  std::string block(64 * 1024, 'x');
  size_t total = 3;
  for (int i = 0; i < 10; ++i) {
    decoder.feed(block, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].data.size() == block.size());  // exactly what came in, nothing held back
    total += out[0].data.size();
    out.clear();
  }
  CHECK(total == 3 + 10 * block.size());
  CHECK_THROWS_AS(decoder.finish(), Error);
}

TEST_CASE("one feed coalesces adjacent frames of the same stream") {
  MultiplexDecoder decoder;
  std::vector<OutputChunk> out;
  decoder.feed(frame(1, "a") + frame(1, "b") + frame(2, "c") + frame(1, "d"), out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].data == "ab");
  CHECK(out[1].kind == OutputKind::Stderr);
  CHECK(out[2].data == "d");
}

TEST_CASE("raw TTY output passes through unchanged at every split") {
  std::string input = "line one\r\n\x1b[31mred\x1b[0m\r\n";
  input += std::string("\x01\x00\x00\x00\x00\x00\x00\x02", 8);  // looks like a frame; is not
  Canonical expected = {{OutputKind::Stdout, input}};
  checkEverySplit(input, expected, [](const Pieces& pieces) {
    RawStreamDecoder decoder;
    return decode(decoder, pieces);
  });
}

TEST_CASE("makeOutputDecoder picks the decoder from the Tty setting") {
  std::vector<OutputChunk> out;
  makeOutputDecoder(true)->feed(frame(2, "x"), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data.size() == 9);
  out.clear();
  makeOutputDecoder(false)->feed(frame(2, "x"), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == OutputKind::Stderr);
  CHECK(out[0].data == "x");
}

}  // namespace
}  // namespace stack::runtime::decode
