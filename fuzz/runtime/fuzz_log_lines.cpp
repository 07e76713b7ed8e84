// Log line splitting: the input is a multiplexed stream (so stdout and stderr interleave);
// the lines per stream must not depend on the split, must respect the bound, and must
// rebuild each stream's bytes (apart from the "\r" before a "\n").

#include "core/error.hpp"
#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/decode/multiplex_decoder.hpp"
#include "runtime/decode/output_line_splitter.hpp"

namespace {

constexpr size_t kMaxLine = 16;

std::string decode(const std::vector<std::string_view>& pieces) {
  stack::runtime::decode::MultiplexDecoder frames;
  stack::runtime::decode::OutputLineSplitter lines(kMaxLine);
  std::vector<stack::runtime::OutputChunk> chunks;
  std::string result;
  auto take = [&] {
    while (auto line = lines.next()) {
      if (line->text.size() > kMaxLine) std::abort();
      result += line->kind == stack::runtime::OutputKind::Stderr ? "E:" : "O:";
      result += std::string(line->text) + (line->complete ? "\n" : "~\n");
    }
  };
  auto pass = [&] {  // hands decoded chunks to the splitter, also those before an error
    for (const auto& chunk : chunks) {
      lines.feed(chunk);
      take();
    }
    chunks.clear();
  };
  try {
    for (std::string_view piece : pieces) {
      frames.feed(piece, chunks);
      pass();
    }
    frames.finish();
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
    pass();
    result += "error\n";
  }
  lines.finish();
  take();
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = stack::fuzz::splitInput(data, size);
  std::string whole = decode({input.body});
  std::string split = decode(input.pieces);
  if (whole != split) stack::fuzz::mismatch("log lines", whole, split);
  return 0;
}
