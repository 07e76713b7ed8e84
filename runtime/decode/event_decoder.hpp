#pragma once

// Engine events (GET /events): a JSON-lines body turned into EngineEvents.
//
// parseEngineEvent() maps one line: Type -> type, Action -> action, Actor.ID -> actor_id,
// Actor.Attributes -> attributes (non-string values keep their JSON text), time, timeNano
// -> time, time_nano, scope -> scope. Older engines send `status`, `id` and `from`
// instead: they fill action, actor_id and attributes["image"] when the newer fields are
// absent, and an event with `from` but no Type is a container event (only container
// events carried `from`). A missing timeNano is derived from time, and the reverse.
// Fields of unexpected types read as absent. Malformed JSON, or a line that is not a JSON
// object, throws stack::Error (kind Engine).
//
// EventDecoder combines a JsonLineSplitter with the parser, with the same contract as
// ProgressDecoder (progress_decoder.hpp).

#include <string_view>
#include <vector>

#include "runtime/decode/json_line_splitter.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::decode {

EngineEvent parseEngineEvent(std::string_view line);

class EventDecoder {
 public:
  explicit EventDecoder(size_t max_line = JsonLineSplitter::kDefaultMaxLine) : lines_(max_line) {}

  void feed(std::string_view bytes, std::vector<EngineEvent>& out);
  void finish(std::vector<EngineEvent>& out);

 private:
  JsonLineSplitter lines_;
};

}  // namespace stack::runtime::decode
