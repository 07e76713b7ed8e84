// Engine events (JSON lines): the same events and error whatever the split.

#include "core/error.hpp"
#include "fuzz/runtime/fuzz_support.hpp"
#include "runtime/decode/event_decoder.hpp"

namespace {

std::string decode(const std::vector<std::string_view>& pieces) {
  stack::runtime::decode::EventDecoder decoder(512);
  std::vector<stack::runtime::EngineEvent> out;
  std::string error;
  try {
    for (std::string_view piece : pieces) decoder.feed(piece, out);
    decoder.finish(out);
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
    error = e.message();
  }
  std::string result;
  for (const auto& e : out) {
    result += e.type + "|" + e.action + "|" + e.actor_id + "|" + e.scope + "|" +
              std::to_string(e.time) + "|" + std::to_string(e.time_nano);
    for (const auto& [k, v] : e.attributes) result += "|" + k + "=" + v;
    result += "\n";
  }
  return result + "error:" + error;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = stack::fuzz::splitInput(data, size);
  std::string whole = decode({input.body});
  std::string split = decode(input.pieces);
  if (whole != split) stack::fuzz::mismatch("events", whole, split);
  return 0;
}
