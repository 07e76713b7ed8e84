#include "runtime/decode/event_decoder.hpp"

#include <limits>

#include "core/error.hpp"
#include "runtime/decode/json_fields.hpp"

namespace stack::runtime::decode {

using detail::integerField;
using detail::member;
using detail::stringField;

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

void readActor(const nlohmann::json& json, EngineEvent& event) {
  const nlohmann::json* actor = member(json, "Actor");
  if (!actor) return;
  event.actor_id = stringField(*actor, "ID");
  const nlohmann::json* attributes = member(*actor, "Attributes");
  if (!attributes || !attributes->is_object()) return;
  for (const auto& [key, value] : attributes->items()) {
    event.attributes[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
}

void readTimes(const nlohmann::json& json, EngineEvent& event) {
  event.time = integerField(json, "time");
  event.time_nano = integerField(json, "timeNano");
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / kNanosPerSecond;
  if (event.time_nano == 0 && event.time > 0 && event.time <= kMaxSeconds) {
    event.time_nano = event.time * kNanosPerSecond;
  }
  if (event.time == 0) event.time = event.time_nano / kNanosPerSecond;
}

}  // namespace

EngineEvent parseEngineEvent(std::string_view line) {
  nlohmann::json json = parseJsonLine(line);
  if (!json.is_object()) {
    throw Error(ErrorKind::Engine,
                "the engine sent an event that is not a JSON object: " + lineSnippet(line));
  }
  EngineEvent event;
  event.type = stringField(json, "Type");
  event.action = stringField(json, "Action");
  event.scope = stringField(json, "scope");
  readActor(json, event);
  readTimes(json, event);
  // Engines before API 1.22 sent only the flat fields.
  if (event.action.empty()) event.action = stringField(json, "status");
  if (event.actor_id.empty()) event.actor_id = stringField(json, "id");
  std::string from = stringField(json, "from");
  if (!from.empty()) {
    event.attributes.try_emplace("image", from);
    if (event.type.empty()) event.type = "container";
  }
  return event;
}

void EventDecoder::feed(std::string_view bytes, std::vector<EngineEvent>& out) {
  lines_.feed(bytes);
  while (auto line = lines_.next()) out.push_back(parseEngineEvent(*line));
}

void EventDecoder::finish(std::vector<EngineEvent>& out) {
  if (auto line = lines_.finish()) out.push_back(parseEngineEvent(*line));
}

}  // namespace stack::runtime::decode
