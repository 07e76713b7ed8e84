#include "runtime/decode/output_line_splitter.hpp"

#include "core/error.hpp"

namespace stack::runtime::decode {

OutputLineSplitter::OutputLineSplitter(size_t max_line)
    : buffers_{LineBuffer(max_line, LineBuffer::Overflow::Split, "log line"),
               LineBuffer(max_line, LineBuffer::Overflow::Split, "log line")} {}

void OutputLineSplitter::feed(OutputKind kind, std::string_view data) {
  // Switching streams with lines still pending would lose them silently.
  if (!buffer(current_).drained() || flushing_ >= 0) {
    throw Error(ErrorKind::Internal, "output line splitter fed before it was drained");
  }
  current_ = kind;
  buffer(kind).feed(data);
}

std::optional<OutputLine> OutputLineSplitter::next() {
  if (flushing_ < 0) {
    auto line = buffer(current_).next();
    if (!line) return std::nullopt;
    return OutputLine{current_, line->text, line->complete};
  }
  while (flushing_ < 2) {
    OutputKind kind = flushing_ == 0 ? OutputKind::Stdout : OutputKind::Stderr;
    ++flushing_;
    if (auto line = buffer(kind).flush()) return OutputLine{kind, line->text, false};
  }
  return std::nullopt;
}

void OutputLineSplitter::finish() {
  if (flushing_ < 0) flushing_ = 0;
}

}  // namespace stack::runtime::decode
