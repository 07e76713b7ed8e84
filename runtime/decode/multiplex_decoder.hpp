#pragma once

// MultiplexDecoder: the output of a container or exec without a TTY. Each frame is an
// 8-byte header [type, 0, 0, 0, length as big-endian u32] and `length` payload bytes.
// Types 0 (stdin, treated as stdout) and 1 are stdout, 2 is stderr, 3 is an error the
// daemon reports in-band. See output_decoder.hpp for the shared contract; in addition:
//   - a frame's payload is emitted piece by piece as it arrives, so a frame of any size
//     costs no buffering (only a partial header, at most 7 bytes, is held back);
//   - a type-3 frame throws stack::Error (kind Engine) carrying the daemon's message once
//     the frame is complete (the message is kept up to 64 KiB; the rest is dropped);
//   - any other type throws stack::Error (kind Engine): the stream is not multiplexed.

#include <array>
#include <cstdint>
#include <string>

#include "runtime/decode/output_decoder.hpp"

namespace stack::runtime::decode {

class MultiplexDecoder final : public OutputDecoder {
 public:
  static constexpr size_t kHeaderSize = 8;
  static constexpr size_t kMaxErrorMessage = 64 * 1024;

  void feed(std::string_view bytes, std::vector<OutputChunk>& out) override;
  void finish() override;

 private:
  enum class FrameKind { Stdout, Stderr, DaemonError };

  // Consumes header bytes from `bytes`; returns how many it used.
  size_t takeHeader(std::string_view bytes);
  void startFrame();
  [[noreturn]] void throwDaemonError() const;

  std::array<unsigned char, kHeaderSize> header_{};
  size_t header_size_ = 0;  // header bytes collected so far
  uint32_t remaining_ = 0;  // payload bytes of the current frame still to come
  FrameKind kind_ = FrameKind::Stdout;
  std::string error_message_;
};

}  // namespace stack::runtime::decode
