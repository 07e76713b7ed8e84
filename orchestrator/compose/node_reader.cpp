#include "orchestrator/compose/node_reader.hpp"

#include <charconv>
#include <cmath>

#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::compose::reader {
namespace {

[[noreturn]] void expected(const Node& node, const std::string& path, const std::string& what,
                           std::string hint = {}) {
  yaml::fail(node, path, "must be " + what + ", not " + node.describe(), std::move(hint));
}

std::optional<int64_t> parseInt(std::string_view text) {
  int base = 10;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x')) {
    base = text[1] == 'o' ? 8 : 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;  // compose's YAML decoder reads 0440 as octal, like Go's ParseInt(s, 0, 64)
    text.remove_prefix(1);
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return negative ? -value : value;
}

bool isScalarValue(const Node& node) {
  return node.isScalar();
}

}  // namespace

std::string quote(const std::string& text) {
  return "\"" + text + "\"";
}

void requireMapping(const Node& node, const std::string& path) {
  if (!node.isMapping()) expected(node, path, "a mapping");
}

void requireSequence(const Node& node, const std::string& path) {
  if (!node.isSequence()) expected(node, path, "a list");
}

void checkKeys(const Node& mapping, const std::string& path,
               std::initializer_list<std::string_view> known) {
  requireMapping(mapping, path);
  for (const auto& entry : mapping.entries) {
    if (entry.key.rfind("x-", 0) == 0) continue;
    bool found = false;
    for (auto key : known) found = found || key == entry.key;
    if (found) continue;
    std::vector<std::string_view> candidates(known);
    auto suggestion = closestMatch(entry.key, candidates);
    std::string where = path.empty() ? "at the top level" : "in " + path;
    yaml::failAt(entry.key_mark, yaml::childPath(path, entry.key),
                 "unknown key " + quote(entry.key) + " " + where,
                 suggestion ? "did you mean " + quote(*suggestion) + "?"
                            : "extension keys must start with \"x-\"");
  }
}

Json extensions(const Node& mapping) {
  Json out;
  for (const auto& entry : mapping.entries) {
    if (entry.key.rfind("x-", 0) == 0) out[entry.key] = toJson(entry.value);
  }
  return out;
}

std::string toString(const Node& node, const std::string& path, bool allow_scalars) {
  if (!isScalarValue(node)) expected(node, path, "a string");
  auto type = node.scalarType();
  if (type != yaml::ScalarType::String && !allow_scalars) expected(node, path, "a string");
  return node.value;
}

bool toBool(const Node& node, const std::string& path) {
  if (node.isScalar()) {
    const std::string& v = node.value;
    if (node.scalarType() == yaml::ScalarType::Bool || node.interpolated) {
      if (v == "true" || v == "True" || v == "TRUE") return true;
      if (v == "false" || v == "False" || v == "FALSE") return false;
      if (node.interpolated && (v == "yes" || v == "y" || v == "on")) return true;
      if (node.interpolated && (v == "no" || v == "n" || v == "off")) return false;
    }
  }
  expected(node, path, "a boolean (true or false)");
}

int64_t toInt(const Node& node, const std::string& path, int64_t min, int64_t max) {
  std::string range = "an integer";
  if (min != INT64_MIN && max != INT64_MAX) {
    range += " from " + std::to_string(min) + " to " + std::to_string(max);
  } else if (min != INT64_MIN) {
    range += " of at least " + std::to_string(min);
  }
  if (!node.isScalar() || (node.scalarType() != yaml::ScalarType::Int && !node.interpolated)) {
    expected(node, path, range);
  }
  auto value = parseInt(node.value);
  if (!value || *value < min || *value > max) expected(node, path, range);
  return *value;
}

double toFloat(const Node& node, const std::string& path) {
  auto type = node.scalarType();
  bool numeric = type == yaml::ScalarType::Int || type == yaml::ScalarType::Float;
  // compose's schema accepts cpus as a number or a numeric string ("0.5").
  if (node.isScalar() && (numeric || node.quoted || node.interpolated)) {
    char* end = nullptr;
    double value = std::strtod(node.value.c_str(), &end);
    if (!node.value.empty() && end == node.value.c_str() + node.value.size() &&
        std::isfinite(value)) {
      return value;
    }
  }
  expected(node, path, "a number");
}

Duration toDuration(const Node& node, const std::string& path) {
  if (node.isScalar()) {
    if (auto duration = parseDuration(node.value)) return *duration;
  }
  yaml::fail(node, path,
             node.isScalar() ? "invalid duration " + quote(node.value)
                             : "must be a duration, not " + node.describe(),
             "write a duration with units, e.g. \"30s\", \"1m30s\" or \"500ms\"");
}

int64_t toBytes(const Node& node, const std::string& path) {
  if (node.isScalar()) {
    if (auto bytes = parseByteSize(node.value)) return *bytes;
  }
  yaml::fail(node, path,
             node.isScalar() ? "invalid byte size " + quote(node.value)
                             : "must be a byte size, not " + node.describe(),
             "write a number of bytes or a size with a unit, e.g. \"512m\", \"1g\" or 1073741824");
}

uint32_t toFileMode(const Node& node, const std::string& path) {
  if (node.isScalar()) {
    std::optional<int64_t> value;
    if (node.scalarType() == yaml::ScalarType::Int) {
      value = parseInt(node.value);
    } else {
      std::string_view text = node.value;
      if (text.rfind("0o", 0) == 0) text.remove_prefix(2);
      int64_t octal = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), octal, 8);
      if (!text.empty() && ec == std::errc() && ptr == text.data() + text.size()) value = octal;
    }
    if (value && *value >= 0 && *value <= 07777) return static_cast<uint32_t>(*value);
  }
  yaml::fail(node, path,
             "invalid file mode " + (node.isScalar() ? quote(node.value) : node.describe()),
             "write an octal mode such as \"0440\"");
}

std::vector<std::string> toStringList(const Node& node, const std::string& path, bool allow_scalar,
                                      bool allow_numbers) {
  if (allow_scalar && node.isScalar()) return {toString(node, path, allow_numbers)};
  if (!node.isSequence()) expected(node, path, allow_scalar ? "a string or a list" : "a list");
  std::vector<std::string> out;
  out.reserve(node.items.size());
  for (size_t i = 0; i < node.items.size(); ++i) {
    out.push_back(toString(node.items[i], yaml::indexPath(path, i), allow_numbers));
  }
  return out;
}

StringMap toStringMap(const Node& node, const std::string& path) {
  StringMap out;
  for (const auto& [key, value] : toOptionalStringMap(node, path)) out[key] = value.value_or("");
  return out;
}

OptionalStringMap toOptionalStringMap(const Node& node, const std::string& path) {
  if (!node.isMapping()) expected(node, path, "a mapping or a list of \"KEY=VALUE\" strings");
  OptionalStringMap out;
  for (const auto& entry : node.entries) {
    std::string child = yaml::childPath(path, entry.key);
    if (entry.value.isNull()) {
      out[entry.key] = std::nullopt;
    } else {
      out[entry.key] = toString(entry.value, child, true);
    }
  }
  return out;
}

Json toJson(const Node& node) {
  switch (node.kind) {
    case Node::Kind::Null:
      return nullptr;
    case Node::Kind::Sequence: {
      Json out = Json::array();
      for (const auto& item : node.items) out.push_back(toJson(item));
      return out;
    }
    case Node::Kind::Mapping: {
      Json out = Json::object();
      for (const auto& entry : node.entries) out[entry.key] = toJson(entry.value);
      return out;
    }
    case Node::Kind::Scalar:
      break;
  }
  switch (node.scalarType()) {
    case yaml::ScalarType::Bool:
      return node.value[0] == 't' || node.value[0] == 'T';
    case yaml::ScalarType::Int:
      if (auto value = parseInt(node.value)) return *value;
      return node.value;
    case yaml::ScalarType::Float:
      return std::strtod(node.value.c_str(), nullptr);
    default:
      return node.value;
  }
}

std::optional<std::vector<std::string>> toCommand(const Node& node, const std::string& path) {
  if (node.isNull()) return std::nullopt;
  if (node.isScalar()) {
    auto words = splitShellWords(node.value);
    if (!words) yaml::fail(node, path, "unterminated quote in command " + quote(node.value));
    return words;
  }
  return toStringList(node, path, false, true);
}

}  // namespace stack::orchestrator::compose::reader
