#pragma once

// BuildKit progress (runtime/buildkit_status.hpp): the base64 text of a
// `moby.buildkit.trace` aux and the protobuf StatusResponse inside it.
//
// A small protobuf wire-format reader, no protobuf dependency: varint, 64-bit, length-
// delimited and 32-bit fields; unknown fields, and known fields of an unexpected wire
// type, are skipped as a protobuf parser skips them, so newer BuildKit versions decode.
// Truncated data (a varint or a length running past the end), a varint longer than 10
// bytes, field number 0 and the deprecated group wire types (3, 4) throw stack::Error
// (kind Engine). Nesting is fixed by the schema (three levels), so no input recurses deeper.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "runtime/buildkit_status.hpp"

namespace stack::runtime::decode {

// Standard base64 (RFC 4648 §4) with or without '=' padding; whitespace is not allowed.
// Throws stack::Error (kind Engine) for any other character or a bad length.
std::string decodeBase64(std::string_view text);

// One StatusResponse message (its bytes, not base64).
BuildkitStatus decodeBuildkitStatus(std::string_view bytes);

// The status as JSON for `--progress json` and logs: {"vertexes":[{"digest","name",
// "inputs","cached","started","completed","error"}],"statuses":[...],"logs":[{"vertex",
// "stream","data"}]}; empty fields and zero times are left out.
nlohmann::json buildkitStatusJson(const BuildkitStatus& status);

}  // namespace stack::runtime::decode
