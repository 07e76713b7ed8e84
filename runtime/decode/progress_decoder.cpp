#include "runtime/decode/progress_decoder.hpp"

#include "core/error.hpp"
#include "runtime/decode/json_fields.hpp"

namespace stack::runtime::decode {

using detail::integerField;
using detail::member;
using detail::stringField;

namespace {

// errorDetail.message is the precise text; `error` repeats it in older engines.
std::string errorText(const nlohmann::json& line) {
  const nlohmann::json* detail = member(line, "errorDetail");
  std::string text = detail ? stringField(*detail, "message") : std::string();
  if (text.empty()) text = stringField(line, "error");
  bool present = (detail && !detail->is_null()) ||
                 (member(line, "error") && !member(line, "error")->is_null());
  if (text.empty() && present) text = "the engine reported an error without a message";
  return text;
}

}  // namespace

ProgressMessage parseProgressMessage(std::string_view line) {
  nlohmann::json json = parseJsonLine(line);
  if (!json.is_object()) {
    throw Error(ErrorKind::Engine,
                "the engine sent a progress line that is not a JSON object: " + lineSnippet(line));
  }
  ProgressMessage message;
  message.id = stringField(json, "id");
  message.status = stringField(json, "status");
  message.progress = stringField(json, "progress");
  message.stream = stringField(json, "stream");
  if (const nlohmann::json* detail = member(json, "progressDetail")) {
    message.current = integerField(*detail, "current");
    message.total = integerField(*detail, "total");
  }
  if (const nlohmann::json* aux = member(json, "aux")) message.aux_id = stringField(*aux, "ID");
  message.error = errorText(json);
  message.raw = std::move(json);
  return message;
}

void ProgressDecoder::feed(std::string_view bytes, std::vector<ProgressMessage>& out) {
  lines_.feed(bytes);
  while (auto line = lines_.next()) out.push_back(parseProgressMessage(*line));
}

void ProgressDecoder::finish(std::vector<ProgressMessage>& out) {
  if (auto line = lines_.finish()) out.push_back(parseProgressMessage(*line));
}

}  // namespace stack::runtime::decode
