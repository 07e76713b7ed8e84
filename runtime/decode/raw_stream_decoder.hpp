#pragma once

// RawStreamDecoder: the output of a container or exec with a TTY. The engine merges stderr
// into stdout and sends the bytes unframed (with "\r\n" line ends), so every byte is
// passed through unchanged as Stdout. See output_decoder.hpp for the shared contract.

#include "runtime/decode/output_decoder.hpp"

namespace stack::runtime::decode {

class RawStreamDecoder final : public OutputDecoder {
 public:
  void feed(std::string_view bytes, std::vector<OutputChunk>& out) override;
  // A raw stream has no framing, so it can end anywhere.
  void finish() override {}
};

}  // namespace stack::runtime::decode
