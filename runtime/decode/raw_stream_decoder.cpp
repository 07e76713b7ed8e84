#include "runtime/decode/raw_stream_decoder.hpp"

#include "runtime/decode/multiplex_decoder.hpp"

namespace stack::runtime::decode {

void RawStreamDecoder::feed(std::string_view bytes, std::vector<OutputChunk>& out) {
  if (bytes.empty()) return;
  out.push_back(OutputChunk{OutputKind::Stdout, std::string(bytes)});
}

std::unique_ptr<OutputDecoder> makeOutputDecoder(bool tty) {
  if (tty) return std::make_unique<RawStreamDecoder>();
  return std::make_unique<MultiplexDecoder>();
}

}  // namespace stack::runtime::decode
