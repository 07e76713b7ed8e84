// BuildKit status (base64 text, then the protobuf wire reader): never crashes, only throws
// stack::Error of kind Engine, and decoding the same bytes twice gives the same JSON.

#include "core/error.hpp"
#include "runtime/decode/buildkit_decoder.hpp"

namespace {

std::string decode(std::string_view bytes) {
  try {
    const auto status = stack::runtime::decode::decodeBuildkitStatus(bytes);
    return stack::runtime::decode::buildkitStatusJson(status).dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
    return "error:" + e.message();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (decode(input) != decode(input)) std::abort();
  // The same bytes read as the base64 text of a trace line.
  try {
    (void)decode(stack::runtime::decode::decodeBase64(input));
  } catch (const stack::Error& e) {
    if (e.kind() != stack::ErrorKind::Engine) std::abort();
  }
  return 0;
}
