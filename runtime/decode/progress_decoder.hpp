#pragma once

// Build, pull and push progress: a JSON-lines body turned into ProgressMessages.
//
// parseProgressMessage() maps one line (engine-api.md §1 Build and Pull):
//   stream -> stream; status, id, progress -> status, id, progress;
//   progressDetail.current/.total -> current, total; aux.ID -> aux_id;
//   errorDetail.message, else error -> error (a present but empty error still sets a
//   generic text, so `!error.empty()` always means the step failed); the whole line -> raw.
// Fields of unexpected types read as absent. Malformed JSON, or a line that is not a JSON
// object, throws stack::Error (kind Engine). The parser does not throw for `error`: the
// stream decides what a failed step means (Build for a build, Engine for a pull).
//
// ProgressDecoder combines a JsonLineSplitter with the parser. feed() accepts the body
// split anywhere and appends one message per line to `out`; finish() at the end of the
// body handles a last line without '\n'. Errors as for JsonLineSplitter and the parser;
// messages decoded before a throw are already in `out`, and the decoder must then be
// discarded.

#include <string_view>
#include <vector>

#include "runtime/decode/json_line_splitter.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::decode {

ProgressMessage parseProgressMessage(std::string_view line);

class ProgressDecoder {
 public:
  explicit ProgressDecoder(size_t max_line = JsonLineSplitter::kDefaultMaxLine)
      : lines_(max_line) {}

  void feed(std::string_view bytes, std::vector<ProgressMessage>& out);
  void finish(std::vector<ProgressMessage>& out);

 private:
  JsonLineSplitter lines_;
};

}  // namespace stack::runtime::decode
