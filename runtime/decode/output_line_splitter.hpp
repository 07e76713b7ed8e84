#pragma once

// OutputLineSplitter: container output chunks turned into whole lines per stream, for
// prefixing log lines with the service name ("web-1  | ...") as docker compose does.
// Stdout and stderr keep separate partial lines, so interleaved chunks never mix the two
// streams within a line.
//
// Contract (pull-style, like LineBuffer):
//   - feed(kind, data), then next() until std::nullopt, then the next feed(). `data`
//     must stay valid until next() returns std::nullopt.
//   - next() returns a line without its '\n' and one trailing '\r' (TTY output ends lines
//     with "\r\n"); empty lines are kept, since a blank log line is output too.
//   - A line longer than `max_line` bytes comes out in pieces of `max_line` bytes with
//     `complete == false`, so a stream without newlines cannot grow the buffer.
//   - finish() at the end of the output; next() then yields the unterminated last line of
//     stdout, then of stderr (each with `complete == false`), then std::nullopt.
//   - A returned view is valid until the next call on the splitter.

#include <array>
#include <optional>
#include <string_view>

#include "runtime/decode/line_buffer.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::decode {

struct OutputLine {
  OutputKind kind = OutputKind::Stdout;
  std::string_view text;
  bool complete = true;
};

class OutputLineSplitter {
 public:
  static constexpr size_t kDefaultMaxLine = 64 * 1024;

  explicit OutputLineSplitter(size_t max_line = kDefaultMaxLine);

  void feed(OutputKind kind, std::string_view data);
  void feed(const OutputChunk& chunk) { feed(chunk.kind, chunk.data); }
  std::optional<OutputLine> next();
  void finish();

 private:
  LineBuffer& buffer(OutputKind kind) { return buffers_[kind == OutputKind::Stderr ? 1 : 0]; }

  std::array<LineBuffer, 2> buffers_;  // stdout, stderr
  OutputKind current_ = OutputKind::Stdout;
  int flushing_ = -1;  // after finish(): index of the buffer still to flush, or 2 when done
};

}  // namespace stack::runtime::decode
