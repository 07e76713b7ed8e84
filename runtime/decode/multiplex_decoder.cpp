#include "runtime/decode/multiplex_decoder.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace stack::runtime::decode {

size_t MultiplexDecoder::takeHeader(std::string_view bytes) {
  size_t take = std::min(kHeaderSize - header_size_, bytes.size());
  std::copy_n(bytes.begin(), take, header_.begin() + header_size_);
  header_size_ += take;
  if (header_size_ == kHeaderSize) startFrame();
  return take;
}

void MultiplexDecoder::startFrame() {
  header_size_ = 0;
  remaining_ = (uint32_t{header_[4]} << 24) | (uint32_t{header_[5]} << 16) |
               (uint32_t{header_[6]} << 8) | uint32_t{header_[7]};
  // Bytes 1..3 are reserved; the docker client ignores them, and so do we.
  switch (header_[0]) {
    case 0:
    case 1:
      kind_ = FrameKind::Stdout;
      break;
    case 2:
      kind_ = FrameKind::Stderr;
      break;
    case 3:
      kind_ = FrameKind::DaemonError;
      error_message_.clear();
      if (remaining_ == 0) throwDaemonError();
      break;
    default:
      throw Error(ErrorKind::Engine,
                  "unexpected stream type " + std::to_string(header_[0]) +
                      " in a multiplexed output stream",
                  "the stream may be a TTY stream; it must be decoded as raw output");
  }
}

void MultiplexDecoder::throwDaemonError() const {
  std::string message = error_message_;
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
    message.pop_back();
  }
  if (message.empty()) message = "(no message)";
  throw Error(ErrorKind::Engine, "the engine reported an error in the output stream: " + message);
}

void MultiplexDecoder::feed(std::string_view bytes, std::vector<OutputChunk>& out) {
  const size_t first_new = out.size();
  while (!bytes.empty()) {
    if (remaining_ == 0) {
      bytes.remove_prefix(takeHeader(bytes));
      continue;
    }
    size_t take = std::min<size_t>(remaining_, bytes.size());
    std::string_view piece = bytes.substr(0, take);
    bytes.remove_prefix(take);
    remaining_ -= static_cast<uint32_t>(take);
    if (kind_ == FrameKind::DaemonError) {
      size_t room = kMaxErrorMessage - error_message_.size();
      error_message_.append(piece.substr(0, std::min(room, piece.size())));
      if (remaining_ == 0) throwDaemonError();
      continue;
    }
    OutputKind kind = kind_ == FrameKind::Stderr ? OutputKind::Stderr : OutputKind::Stdout;
    if (out.size() > first_new && out.back().kind == kind) {
      out.back().data.append(piece);
    } else {
      out.push_back(OutputChunk{kind, std::string(piece)});
    }
  }
}

void MultiplexDecoder::finish() {
  if (header_size_ != 0 || remaining_ != 0) {
    throw Error(ErrorKind::Engine, "the multiplexed output stream ended in the middle of a frame",
                "the connection to the engine was cut; retry the command");
  }
}

}  // namespace stack::runtime::decode
