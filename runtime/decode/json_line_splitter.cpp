#include "runtime/decode/json_line_splitter.hpp"

#include "core/error.hpp"

namespace stack::runtime::decode {

namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kSnippetLength = 120;

struct TooDeep {};

}  // namespace

JsonLineSplitter::JsonLineSplitter(size_t max_line)
    : lines_(max_line, LineBuffer::Overflow::Throw, "JSON line") {}

std::optional<std::string_view> JsonLineSplitter::next() {
  while (auto line = lines_.next()) {
    if (!line->text.empty()) return line->text;
  }
  return std::nullopt;
}

std::optional<std::string_view> JsonLineSplitter::finish() {
  auto line = lines_.flush();
  if (!line || line->text.empty()) return std::nullopt;
  return line->text;
}

std::string lineSnippet(std::string_view line) {
  std::string out(line.substr(0, kSnippetLength));
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '?';
  }
  if (line.size() > kSnippetLength) out += "...";
  return out;
}

nlohmann::json parseJsonLine(std::string_view line) {
  // The callback sees every nesting step before it happens, so throwing there bounds the
  // work (and the recursion of whoever later dumps or destroys the value).
  auto limit_depth = [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    if ((event == nlohmann::json::parse_event_t::object_start ||
         event == nlohmann::json::parse_event_t::array_start) &&
        depth >= kMaxDepth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    return nlohmann::json::parse(line.begin(), line.end(), limit_depth);
  } catch (const TooDeep&) {
    throw Error(ErrorKind::Engine, "the engine sent a JSON line nested more than " +
                                       std::to_string(kMaxDepth) +
                                       " levels deep: " + lineSnippet(line));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::Engine, "the engine sent a malformed JSON line (" +
                                       std::string(e.what()) + "): " + lineSnippet(line));
  }
}

}  // namespace stack::runtime::decode
