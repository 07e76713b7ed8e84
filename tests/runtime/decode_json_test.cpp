// JSON-lines decoders: build and pull progress, events, the line splitter's bounds.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/decode/event_decoder.hpp"
#include "runtime/decode/progress_decoder.hpp"
#include "tests/runtime/split_harness.hpp"

namespace stack::runtime::decode {
namespace {

using stack::test::checkEverySplit;
using stack::test::Pieces;

// A comparable summary of a decoded message; an error becomes a final "ERROR: ..." entry.
using Summary = std::vector<std::string>;

std::string summarize(const ProgressMessage& m) {
  return "id=" + m.id + " status=" + m.status + " progress=" + m.progress +
         " cur=" + std::to_string(m.current) + " tot=" + std::to_string(m.total) +
         " stream=" + m.stream + " aux=" + m.aux_id + " error=" + m.error;
}

Summary decodeProgress(const Pieces& pieces, size_t max_line = 1024 * 1024) {
  ProgressDecoder decoder(max_line);
  std::vector<ProgressMessage> out;
  Summary summary;
  try {
    for (std::string_view piece : pieces) decoder.feed(piece, out);
    decoder.finish(out);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Engine);
    for (const auto& m : out) summary.push_back(summarize(m));
    summary.push_back("ERROR: " + e.message());
    return summary;
  }
  for (const auto& m : out) summary.push_back(summarize(m));
  return summary;
}

TEST_CASE("build progress decodes the same at every split") {
  std::string input =
      "{\"stream\":\"Step 1/2 : FROM scratch\\n\"}\r\n"
      "\n"
      "{\"stream\":\" ---\\u003e Running in 1a2b\\n\"}\n"
      "{\"aux\":{\"ID\":\"sha256:aaa\"}}\n"
      "{\"aux\":{\"ID\":\"sha256:bbb\"}}\n"
      "{\"errorDetail\":{\"code\":7,\"message\":\"step failed\"},\"error\":\"old text\"}";
  Summary expected = {
      "id= status= progress= cur=0 tot=0 stream=Step 1/2 : FROM scratch\n aux= error=",
      "id= status= progress= cur=0 tot=0 stream= ---> Running in 1a2b\n aux= error=",
      "id= status= progress= cur=0 tot=0 stream= aux=sha256:aaa error=",
      "id= status= progress= cur=0 tot=0 stream= aux=sha256:bbb error=",
      "id= status= progress= cur=0 tot=0 stream= aux= error=step failed"};
  checkEverySplit(input, expected, [](const Pieces& p) { return decodeProgress(p); });
}

TEST_CASE("pull progress fields, and lenient types") {
  std::string input =
      "{\"status\":\"Downloading\",\"id\":\"31f\",\"progress\":\"[=>   ]\","
      "\"progressDetail\":{\"current\":1024,\"total\":4096}}\n"
      "{\"status\":\"Pull complete\",\"id\":\"31f\",\"progressDetail\":{}}\n"
      "{\"status\":5,\"id\":null,\"progressDetail\":{\"current\":1.5e3,\"total\":\"x\"}}\n"
      "{\"error\":\"manifest unknown\"}\n"
      "{\"errorDetail\":{}}\n";
  Summary expected = {
      "id=31f status=Downloading progress=[=>   ] cur=1024 tot=4096 stream= aux= error=",
      "id=31f status=Pull complete progress= cur=0 tot=0 stream= aux= error=",
      "id= status= progress= cur=1500 tot=0 stream= aux= error=",
      "id= status= progress= cur=0 tot=0 stream= aux= error=manifest unknown",
      "id= status= progress= cur=0 tot=0 stream= aux= error=the engine reported an error "
      "without a message"};
  checkEverySplit(input, expected, [](const Pieces& p) { return decodeProgress(p); });
  ProgressMessage m = parseProgressMessage(
      "{\"status\":\"x\",\"progressDetail\":{\"current\":18446744073709551615}}");
  CHECK(m.current == std::numeric_limits<int64_t>::max());
  CHECK(m.raw["status"] == "x");
}

TEST_CASE("a malformed line is an engine error at every split, after the lines before it") {
  std::string input = "{\"stream\":\"ok\"}\n{\"stream\": tru\n{\"stream\":\"never\"}\n";
  Summary got = decodeProgress({input});
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "id= status= progress= cur=0 tot=0 stream=ok aux= error=");
  CHECK(got[1].find("ERROR: the engine sent a malformed JSON line") == 0);
  CHECK(got[1].find("{\"stream\": tru") != std::string::npos);
  checkEverySplit(input, got, [](const Pieces& p) { return decodeProgress(p); });
}

TEST_CASE("lines that are not objects, nested too deep, or broken are engine errors") {
  std::vector<std::string> bad = {"[1,2]",
                                  "\"text\"",
                                  "42",
                                  "{",
                                  "}",
                                  "{\"a\":1}}",
                                  "nul",
                                  std::string(200, '[') + std::string(200, ']'),
                                  "{\"a\":\"\xff\"}"};
  for (const std::string& line : bad) {
    CAPTURE(line);
    CHECK_THROWS_AS(parseProgressMessage(line), Error);
    CHECK_THROWS_AS(parseEngineEvent(line), Error);
    try {
      parseEngineEvent(line);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Engine);
    }
  }
  // 63 levels of nesting are still fine.
  std::string deep = "{\"aux\":" + std::string(62, '[') + std::string(62, ']') + "}";
  CHECK_NOTHROW(parseProgressMessage(deep));
}

TEST_CASE("a line longer than the bound is an engine error without unbounded buffering") {
  std::string input = "{\"stream\":\"short\"}\n{\"stream\":\"" + std::string(100, 'x') + "\"}\n";
  Summary got = decodeProgress({input}, 64);
  REQUIRE(got.size() == 2);
  CHECK(got[1] == "ERROR: the engine sent a JSON line longer than 64 bytes");
  checkEverySplit(input, got, [](const Pieces& p) { return decodeProgress(p, 64); });

  // Exactly at the bound (with "\r\n" not counted) is accepted at every split.
  std::string exact = "{\"stream\":\"" + std::string(64 - 13, 'y') + "\"}";
  REQUIRE(exact.size() == 64);
  std::string exact_input = exact + "\r\n" + exact + "\r\n";
  Summary two_lines = decodeProgress({exact_input}, 64);
  CHECK(two_lines.size() == 2);
  CHECK(two_lines[1].find("ERROR") == std::string::npos);
  checkEverySplit(exact_input, two_lines, [](const Pieces& p) { return decodeProgress(p, 64); });

  // The splitter never holds more than the bound while waiting for a newline.
  JsonLineSplitter splitter(64);
  const std::string full(64, 'z');  // fed data must outlive the next() calls
  splitter.feed(full);
  CHECK_FALSE(splitter.next());
  splitter.feed("z");
  CHECK_THROWS_AS(splitter.next(), Error);
}

std::string summarize(const EngineEvent& e) {
  std::string out = e.type + "|" + e.action + "|" + e.actor_id + "|" + e.scope + "|" +
                    std::to_string(e.time) + "|" + std::to_string(e.time_nano);
  for (const auto& [k, v] : e.attributes) out += "|" + k + "=" + v;
  return out;
}

Summary decodeEvents(const Pieces& pieces) {
  EventDecoder decoder;
  std::vector<EngineEvent> out;
  Summary summary;
  try {
    for (std::string_view piece : pieces) decoder.feed(piece, out);
    decoder.finish(out);
  } catch (const Error& e) {
    for (const auto& ev : out) summary.push_back(summarize(ev));
    summary.push_back("ERROR: " + e.message());
    return summary;
  }
  for (const auto& ev : out) summary.push_back(summarize(ev));
  return summary;
}

TEST_CASE("events decode the same at every split, new and old formats") {
  std::string input =
      "{\"status\":\"start\",\"id\":\"c1\",\"from\":\"busybox\",\"Type\":\"container\","
      "\"Action\":\"start\",\"Actor\":{\"ID\":\"c1\",\"Attributes\":{\"image\":\"busybox\","
      "\"name\":\"web-1\",\"com.docker.compose.project\":\"p\"}},\"scope\":\"local\","
      "\"time\":1700000000,\"timeNano\":1700000000123456789}\n"
      "{\"Type\":\"container\",\"Action\":\"health_status: healthy\",\"Actor\":{\"ID\":\"c2\","
      "\"Attributes\":{\"exitCode\":0,\"x\":true}},\"timeNano\":1700000001000000001}\n"
      "{\"status\":\"die\",\"id\":\"c3\",\"from\":\"alpine:3.18\",\"time\":1700000002}\n"
      "{\"status\":\"pull\",\"id\":\"busybox:latest\",\"time\":1700000003}\n"
      "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n1\"},\"time\":1}\n";
  Summary expected = {
      "container|start|c1|local|1700000000|1700000000123456789|com.docker.compose.project=p"
      "|image=busybox|name=web-1",
      "container|health_status: healthy|c2||1700000001|1700000001000000001|exitCode=0|x=true",
      "container|die|c3||1700000002|1700000002000000000|image=alpine:3.18",
      "|pull|busybox:latest||1700000003|1700000003000000000", "network|connect|n1||1|1000000000"};
  checkEverySplit(input, expected, decodeEvents);
}

TEST_CASE("a malformed event line is an engine error at every split") {
  std::string input = "{\"Type\":\"container\",\"Action\":\"die\"}\n{\"Type\":\n";
  Summary got = decodeEvents({input});
  REQUIRE(got.size() == 2);
  CHECK(got[1].find("ERROR: the engine sent a malformed JSON line") == 0);
  checkEverySplit(input, got, decodeEvents);
}

}  // namespace
}  // namespace stack::runtime::decode
