#pragma once

// LineBuffer: the incremental line splitter under the JSON-lines decoders and the log line
// splitter. It is pull-style so that a line lying wholly inside one input chunk is handed
// out as a view into that chunk, without a copy; only a line that straddles chunks is
// assembled in an internal buffer, and that buffer never grows past `max_line` bytes.
//
// Contract:
//   - feed(data) starts consuming `data`. `data` must stay valid until next() returns
//     std::nullopt, and every line must be drained with next() before the next feed()
//     (feeding early throws ErrorKind::Internal, since it is a bug in the caller).
//   - next() returns the next complete line without its '\n' and without one trailing
//     '\r', or std::nullopt when the input is used up (a partial line stays buffered).
//   - flush() at the end of the stream returns the buffered partial line, if any.
//   - A returned view is valid until the next call on the buffer or until `data` dies.
//   - Lines longer than `max_line` bytes (not counting "\r\n") either throw
//     ErrorKind::Engine (Overflow::Throw) or come out in pieces of `max_line` bytes with
//     `complete == false` (Overflow::Split). After a throw the buffer must be discarded.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stack::runtime::decode {

struct LineView {
  std::string_view text;
  bool complete = true;  // false: a forced split of a long line or an unterminated tail
};

class LineBuffer {
 public:
  enum class Overflow { Throw, Split };

  LineBuffer(size_t max_line, Overflow overflow, std::string_view what);

  void feed(std::string_view data);
  std::optional<LineView> next();
  std::optional<LineView> flush();

  // True when every line of the last feed() has been taken with next().
  bool drained() const noexcept { return pos_ >= input_.size(); }
  // Bytes of an unfinished line held internally (for tests and diagnostics). At most
  // max_line + 1: a trailing '\r' waits to see whether '\n' follows.
  size_t buffered() const noexcept { return partial_.size() - handed_out_; }

 private:
  void release();
  LineView takePiece(std::string_view rest);
  [[noreturn]] void throwTooLong() const;

  size_t max_line_;
  Overflow overflow_;
  std::string what_;  // "JSON line", "log line": names the stream in errors
  std::string partial_;
  size_t handed_out_ = 0;  // leading bytes of partial_ already returned; dropped on the next call
  std::string_view input_;
  size_t pos_ = 0;
};

}  // namespace stack::runtime::decode
