#include "runtime/decode/line_buffer.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace stack::runtime::decode {

namespace {

std::string_view stripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

LineBuffer::LineBuffer(size_t max_line, Overflow overflow, std::string_view what)
    : max_line_(std::max<size_t>(max_line, 1)), overflow_(overflow), what_(what) {}

void LineBuffer::release() {
  partial_.erase(0, handed_out_);
  handed_out_ = 0;
}

void LineBuffer::feed(std::string_view data) {
  if (!drained()) {
    throw Error(ErrorKind::Internal, "line buffer fed before the previous input was drained");
  }
  release();
  input_ = data;
  pos_ = 0;
}

void LineBuffer::throwTooLong() const {
  throw Error(ErrorKind::Engine,
              "the engine sent a " + what_ + " longer than " + std::to_string(max_line_) + " bytes",
              "this is not a stream stack can read; check the engine version and endpoint");
}

// Hands out the first max_line_ bytes of the overlong line made of partial_ + rest.
LineView LineBuffer::takePiece(std::string_view rest) {
  if (partial_.empty()) {
    pos_ += max_line_;
    return {rest.substr(0, max_line_), false};
  }
  if (partial_.size() < max_line_) {
    size_t take = max_line_ - partial_.size();
    partial_.append(rest.substr(0, take));
    pos_ += take;
  }
  handed_out_ = max_line_;
  return {std::string_view(partial_).substr(0, max_line_), false};
}

std::optional<LineView> LineBuffer::next() {
  release();
  std::string_view rest = input_.substr(pos_);
  size_t newline = rest.find('\n');
  bool found = newline != std::string_view::npos;
  std::string_view segment = found ? rest.substr(0, newline) : rest;
  // A '\r' right before the '\n' is not part of the line. One at the end of the input may
  // be, or not: it is not counted until the next byte tells, so the result does not
  // depend on where the input was split.
  size_t length = partial_.size() + segment.size();
  char last = !segment.empty() ? segment.back() : (partial_.empty() ? '\0' : partial_.back());
  if (last == '\r') --length;
  if (length > max_line_) {
    if (overflow_ == Overflow::Throw) throwTooLong();
    return takePiece(rest);
  }
  if (!found) {
    partial_.append(rest);
    pos_ = input_.size();
    return std::nullopt;
  }
  pos_ += newline + 1;
  if (partial_.empty()) return LineView{stripCr(segment), true};
  partial_.append(segment);
  handed_out_ = partial_.size();
  return LineView{stripCr(partial_), true};
}

std::optional<LineView> LineBuffer::flush() {
  release();
  if (!drained()) {
    throw Error(ErrorKind::Internal, "line buffer flushed before its input was drained");
  }
  std::string_view line = stripCr(partial_);
  handed_out_ = partial_.size();
  if (line.empty()) return std::nullopt;
  return LineView{line, false};
}

}  // namespace stack::runtime::decode
