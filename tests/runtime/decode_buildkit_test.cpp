// BuildKit progress: base64, the protobuf wire reader, and trace lines captured from
// dockerd 20.10.24 (`POST /build?version=2`, a RUN step that prints to both streams and
// fails with exit code 3).

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/decode/buildkit_decoder.hpp"
#include "runtime/decode/progress_decoder.hpp"

namespace stack::runtime::decode {
namespace {

constexpr const char* kRunDigest =
    "sha256:091dab96f1e0ca31000a1d3466ba31b63e600d45d794566ecca87e36d4231c44";

// The failing RUN's stderr line.
constexpr const char* kLogAux =
    "GmQKR3NoYTI1NjowOTFkYWI5NmYxZTBjYTMxMDAwYTFkMzQ2NmJhMzFiNjNlNjAwZDQ1ZDc5NDU2NmVjY2E4N2UzNm"
    "Q0MjMxYzQ0EgwI1KHB2AYQsYOCvQIYAiIJbGluZS10d28K";
// The failing RUN's vertex, completed with its error.
constexpr const char* kErrorAux =
    "CscCCkdzaGEyNTY6MDkxZGFiOTZmMWUwY2EzMTAwMGExZDM0NjZiYTMxYjYzZTYwMGQ0NWQ3OTQ1NjZlY2NhODdlMz"
    "ZkNDIzMWM0NBJHc2hhMjU2OjA5NzEzYzAxZjFhOWU0MmE0MzA4YTA4ZTYxOWY5ZDgxYmRlYmI4ZGI3NTAxMWEwYjE1"
    "MDAxZDc2MDY4ZDY4YzgaNlsyLzJdIFJVTiBlY2hvIGxpbmUtb25lICYmIGVjaG8gbGluZS10d28gPiYyICYmIGV4aX"
    "QgMyoMCNOhwdgGEO+4xNMBMgwI1KHB2AYQo6T+6AI6X2V4ZWN1dG9yIGZhaWxlZCBydW5uaW5nIFsvYmluL3NoIC1j"
    "IGVjaG8gbGluZS1vbmUgJiYgZWNobyBsaW5lLXR3byA+JjIgJiYgZXhpdCAzXTogZXhpdCBjb2RlOiAz";
// A cached vertex of a rebuild.
constexpr const char* kCachedAux =
    "Co0BCkdzaGEyNTY6Y2VkNDI3NTBlZjI2MzU1Mzc4NWZhZDYxOGVkZDJmYmQ3M2IwOGE4ZTA3Zjg2MDFiZjg4YzhkYj"
    "VjNDVlYjAxNBokW2ludGVybmFsXSBsb2FkIHJlbW90ZSBidWlsZCBjb250ZXh0IAEqDAi8ocHYBhDPzvLtAjIMCLyh"
    "wdgGEJmD9O0C";
// A status of the export vertex.
constexpr const char* kStatusAux =
    "ErwBClV3cml0aW5nIGltYWdlIHNoYTI1NjpjYWQ1ZmI4NTkxZmQ5Y2QwZmEwODg3MDU5NTc1YmVhNzk2ODE2MTNjMD"
    "AzMWQzNDk3Njc2NGY1ODBjNWQ0ZTA5EkdzaGEyNTY6ZThjNjEzZTA3YjBiN2ZmMzM4OTNiNjk0Zjc3NTlhMTBkNDJl"
    "MTgwZjJiNGRjMzQ5ZmI1N2RjNmI3MWRjYWIwMDIMCKyhwdgGELL11IIDOgwIrKHB2AYQoO3UggM=";

BuildkitStatus decodeAux(const char* aux) {
  return decodeBuildkitStatus(decodeBase64(aux));
}

TEST_CASE("base64 decodes with and without padding and rejects other text") {
  CHECK(decodeBase64("") == "");
  CHECK(decodeBase64("aGk=") == "hi");
  CHECK(decodeBase64("aGk") == "hi");
  CHECK(decodeBase64("aGVsbG8h") == "hello!");
  CHECK_THROWS_AS(decodeBase64("aGk*"), Error);
  CHECK_THROWS_AS(decodeBase64("a"), Error);
  CHECK_THROWS_AS(decodeBase64("aGk=="), Error);
  CHECK_THROWS_AS(decodeBase64("aG k"), Error);
}

TEST_CASE("a captured log line decodes to its vertex, stream and bytes") {
  const BuildkitStatus status = decodeAux(kLogAux);
  REQUIRE(status.logs.size() == 1);
  CHECK(status.vertexes.empty());
  CHECK(status.logs[0].vertex == kRunDigest);
  CHECK(status.logs[0].stream == 2);
  CHECK(status.logs[0].data == "line-two\n");
  CHECK(status.logs[0].timestamp == 1796231380664830385);
}

TEST_CASE("a captured failed vertex carries its name, input, times and error") {
  const BuildkitStatus status = decodeAux(kErrorAux);
  REQUIRE(status.vertexes.size() == 1);
  const BuildkitVertex& v = status.vertexes[0];
  CHECK(v.digest == kRunDigest);
  REQUIRE(v.inputs.size() == 1);
  CHECK(v.inputs[0].rfind("sha256:09713c01", 0) == 0);
  CHECK(v.name == "[2/2] RUN echo line-one && echo line-two >&2 && exit 3");
  CHECK_FALSE(v.cached);
  CHECK(v.started == 1796231379443620463);
  CHECK(v.completed == 1796231380757043747);
  CHECK(v.error ==
        "executor failed running [/bin/sh -c echo line-one && echo line-two >&2 && exit 3]: "
        "exit code: 3");
}

TEST_CASE("a captured cached vertex and an export status decode") {
  const BuildkitStatus cached = decodeAux(kCachedAux);
  REQUIRE(cached.vertexes.size() == 1);
  CHECK(cached.vertexes[0].cached);
  CHECK(cached.vertexes[0].name == "[internal] load remote build context");
  CHECK(cached.vertexes[0].error.empty());
  const BuildkitStatus export_status = decodeAux(kStatusAux);
  REQUIRE(export_status.statuses.size() == 1);
  const BuildkitVertexStatus& s = export_status.statuses[0];
  CHECK(s.id.rfind("writing image sha256:cad5fb85", 0) == 0);
  CHECK(s.vertex.rfind("sha256:e8c613e0", 0) == 0);
  CHECK(s.timestamp == 1796231340810891954);
  CHECK(s.started == 1796231340810890912);
  CHECK(s.completed == 0);
}

TEST_CASE("the wire reader skips unknown fields and rejects malformed data") {
  // vertexes { digest "d" name "n" 15: varint 7 16: fixed32 } then field 9 fixed64.
  const std::string vertex = std::string(
                                 "\x0a\x01"
                                 "d"
                                 "\x1a\x01"
                                 "n"
                                 "\x78\x07"
                                 "\x85\x01",
                                 10) +
                             std::string("\x01\x02\x03\x04", 4);
  std::string message = "\x0a" + std::string(1, static_cast<char>(vertex.size())) + vertex;
  message += std::string("\x49\x01\x02\x03\x04\x05\x06\x07\x08", 9);
  const BuildkitStatus status = decodeBuildkitStatus(message);
  REQUIRE(status.vertexes.size() == 1);
  CHECK(status.vertexes[0].digest == "d");
  CHECK(status.vertexes[0].name == "n");
  // A vertex name sent as a varint is skipped, not misread.
  CHECK(decodeBuildkitStatus(std::string("\x0a\x02\x18\x01", 4)).vertexes[0].name.empty());

  CHECK_THROWS_AS(decodeBuildkitStatus(std::string("\x0a\x05\x0a", 3)), Error);  // too long
  CHECK_THROWS_AS(decodeBuildkitStatus(std::string("\x08\x80", 2)), Error);      // truncated varint
  CHECK_THROWS_AS(decodeBuildkitStatus(std::string("\x0b", 1)), Error);          // group
  CHECK_THROWS_AS(decodeBuildkitStatus(std::string("\x02\x00", 2)), Error);      // field 0
  CHECK_THROWS_AS(decodeBuildkitStatus(std::string(11, '\xff')), Error);         // long varint
  CHECK_THROWS_AS(decodeBuildkitStatus(std::string("\x09\x01\x02", 3)), Error);  // short fixed64
}

TEST_CASE("a trace line keeps its base64 aux for the tracker - the image id line an aux id") {
  const std::string trace =
      std::string("{\"id\":\"moby.buildkit.trace\",\"aux\":\"") + kLogAux + "\"}";
  const ProgressMessage message = parseProgressMessage(trace);
  CHECK(message.id == "moby.buildkit.trace");
  CHECK(message.aux_id.empty());
  CHECK(message.error.empty());
  const BuildkitStatus status = decodeAux(message.raw["aux"].get<std::string>().c_str());
  REQUIRE(status.logs.size() == 1);
  CHECK(buildkitStatusJson(status)["logs"][0]["data"] == "line-two\n");
  CHECK(buildkitStatusJson(status)["logs"][0]["stream"] == 2);

  const ProgressMessage image =
      parseProgressMessage(R"({"id":"moby.image.id","aux":{"ID":"sha256:cad5fb8591fd"}})");
  CHECK(image.aux_id == "sha256:cad5fb8591fd");
}

}  // namespace
}  // namespace stack::runtime::decode
