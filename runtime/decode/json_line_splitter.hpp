#pragma once

// JSON-lines streams of the engine (build and pull progress, events): splitting the body
// into lines, and parsing one line into a JSON value safely.
//
// JsonLineSplitter contract (see line_buffer.hpp for the views' lifetime):
//   - feed(data), then next() until std::nullopt, then the next feed(); at the end of the
//     body finish() returns the last line if it had no '\n'.
//   - Lines are split on '\n'; one trailing '\r' is removed; empty lines are skipped.
//   - A line longer than `max_line` bytes throws stack::Error (kind Engine) as soon as the
//     excess arrives, so a broken stream cannot make the buffer grow without bound.
//
// parseJsonLine(): the line as JSON. Malformed JSON, or nesting deeper than 64 levels
// (nothing the engine sends is that deep, and deep values are expensive to handle),
// throws stack::Error (kind Engine) whose message quotes the start of the line.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "runtime/decode/line_buffer.hpp"

namespace stack::runtime::decode {

class JsonLineSplitter {
 public:
  static constexpr size_t kDefaultMaxLine = 1024 * 1024;

  explicit JsonLineSplitter(size_t max_line = kDefaultMaxLine);

  void feed(std::string_view data) { lines_.feed(data); }
  std::optional<std::string_view> next();
  std::optional<std::string_view> finish();

 private:
  LineBuffer lines_;
};

nlohmann::json parseJsonLine(std::string_view line);

// The start of `line` made safe for an error message: control bytes become '?', and it is
// cut after 120 bytes.
std::string lineSnippet(std::string_view line);

}  // namespace stack::runtime::decode
