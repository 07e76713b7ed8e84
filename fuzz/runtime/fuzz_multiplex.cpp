// Multiplexed output frames: the same output and error whatever the split.

#include "core/error.hpp"
#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/decode/multiplex_decoder.hpp"

using stack::runtime::OutputChunk;
using stack::runtime::OutputKind;

namespace {

std::string decode(const std::vector<std::string_view>& pieces) {
  stack::runtime::decode::MultiplexDecoder decoder;
  std::vector<OutputChunk> out;
  std::string result;
  auto flush = [&] {
    for (const OutputChunk& chunk : out) {
      if (chunk.data.empty()) std::abort();  // empty chunks are never emitted
      result += chunk.kind == OutputKind::Stderr ? 'E' : 'O';
      for (char c : chunk.data)
        result += std::string(1, chunk.kind == OutputKind::Stderr ? 'e' : 'o') + c;
    }
    out.clear();
  };
  try {
    for (std::string_view piece : pieces) {
      decoder.feed(piece, out);
      flush();
    }
    decoder.finish();
  } catch (const stack::Error& e) {
    flush();
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
    result += "|error:" + e.message();
  }
  return result;
}

// Chunk boundaries may differ; the per-byte stream tags must not.
std::string normalize(const std::string& tagged) {
  std::string out;
  for (char c : tagged) {
    if (c != 'O' && c != 'E') out += c;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = stack::fuzz::splitInput(data, size);
  std::string whole = normalize(decode({input.body}));
  std::string split = normalize(decode(input.pieces));
  if (whole != split) stack::fuzz::mismatch("multiplexed output", whole, split);
  return 0;
}
