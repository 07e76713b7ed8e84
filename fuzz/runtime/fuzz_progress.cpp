// Build and pull progress (JSON lines): the same messages and error whatever the split,
// with a small line bound so that the overflow path is reached too.

#include "core/error.hpp"
#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/decode/progress_decoder.hpp"

namespace {

std::string decode(const std::vector<std::string_view>& pieces) {
  stack::runtime::decode::ProgressDecoder decoder(512);
  std::vector<stack::runtime::ProgressMessage> out;
  std::string error;
  try {
    for (std::string_view piece : pieces) decoder.feed(piece, out);
    decoder.finish(out);
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
    error = e.message();
  }
  std::string result;
  for (const auto& m : out) {
    result += m.id + "|" + m.status + "|" + m.progress + "|" + std::to_string(m.current) + "|" +
              std::to_string(m.total) + "|" + m.stream + "|" + m.aux_id + "|" + m.error + "|" +
              m.raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return result + "error:" + error;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = stack::fuzz::splitInput(data, size);
  std::string whole = decode({input.body});
  std::string split = decode(input.pieces);
  if (whole != split) stack::fuzz::mismatch("progress", whole, split);
  return 0;
}
