#pragma once

// Decoders for container output (logs, attach, exec): the bytes of the response body go
// in, OutputChunks come out. Which decoder applies depends on the container's (or exec's)
// Tty setting: multiplexed frames without a TTY, a raw stream with one (engine-api.md §2).
//
// Contract shared by every OutputDecoder:
//   - feed() accepts the body in chunks split at any byte; the output does not depend on
//     where the splits fall, except that adjacent pieces of the same kind may come out as
//     one chunk or several.
//   - feed() appends to `out` and never clears it. Pieces of the same kind that follow each
//     other within one feed() call are coalesced into one chunk.
//   - Memory is bounded: payload is passed on as it arrives, never held back.
//   - An in-band engine error throws stack::Error (kind Engine); whatever was decoded
//     before the error is already in `out`. After a throw the decoder must be discarded.
//   - finish() is called once at the end of the body; it throws (kind Engine) when the
//     body stopped in the middle of a frame.

#include <memory>
#include <string_view>
#include <vector>

#include "runtime/stream.hpp"

namespace stack::runtime::decode {

class OutputDecoder {
 public:
  virtual ~OutputDecoder() = default;
  virtual void feed(std::string_view bytes, std::vector<OutputChunk>& out) = 0;
  virtual void finish() = 0;
};

// The decoder for a stream of a container or exec created with Tty = `tty`.
std::unique_ptr<OutputDecoder> makeOutputDecoder(bool tty);

}  // namespace stack::runtime::decode
