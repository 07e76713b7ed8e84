// Raw TTY output: every byte comes back as stdout, whatever the split.

#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/decode/raw_stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = stack::fuzz::splitInput(data, size);
  stack::runtime::decode::RawStreamDecoder decoder;
  std::vector<stack::runtime::OutputChunk> out;
  for (std::string_view piece : input.pieces) decoder.feed(piece, out);
  decoder.finish();
  std::string joined;
  for (const auto& chunk : out) {
    if (chunk.kind != stack::runtime::OutputKind::Stdout || chunk.data.empty()) std::abort();
    joined += chunk.data;
  }
  if (joined != input.body) stack::fuzz::mismatch("raw output", std::string(input.body), joined);
  return 0;
}
