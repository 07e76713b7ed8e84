#include "orchestrator/compose/yaml_tree.hpp"

#include <algorithm>
#include <cstdlib>

namespace stack::orchestrator::compose::yaml {
namespace {

bool isNullText(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool isBoolText(std::string_view s) {
  return s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE";
}

bool allOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isOctal(char c) {
  return c >= '0' && c <= '7';
}
bool isHex(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string_view dropSign(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

bool isIntText(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o') return allOf(s.substr(2), isOctal);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') return allOf(s.substr(2), isHex);
  return allOf(dropSign(s), isDigit);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and the .inf/.nan spellings.
bool isFloatText(std::string_view s) {
  std::string_view body = dropSign(s);
  if (body == ".inf" || body == ".Inf" || body == ".INF") return true;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  size_t i = 0;
  size_t int_digits = 0;
  while (i < body.size() && isDigit(body[i])) ++i, ++int_digits;
  size_t frac_digits = 0;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && isDigit(body[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    std::string_view exponent = dropSign(body.substr(i + 1));
    return allOf(exponent, isDigit);
  }
  return i == body.size();
}

// Builds Node trees from yaml-cpp parser events.
}  // namespace

ScalarType plainScalarType(std::string_view text) {
  if (isNullText(text)) return ScalarType::Null;
  if (isBoolText(text)) return ScalarType::Bool;
  if (isIntText(text)) return ScalarType::Int;
  if (isFloatText(text)) return ScalarType::Float;
  return ScalarType::String;
}

SourceLocation Mark::location(std::string key_path) const {
  return SourceLocation{file ? *file : std::string(), line, column, std::move(key_path)};
}

const Node* Node::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

bool Node::erase(std::string_view key) {
  auto it =
      std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
  if (it == entries.end()) return false;
  entries.erase(it);
  return true;
}

Node& Node::set(std::string key, Node value) {
  if (kind == Kind::Null) kind = Kind::Mapping;
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  Mark key_mark = value.mark;
  entries.push_back(Entry{std::move(key), std::move(key_mark), std::move(value)});
  return entries.back().value;
}

ScalarType Node::scalarType() const {
  if (kind == Kind::Null) return ScalarType::Null;
  if (kind != Kind::Scalar || quoted || interpolated) return ScalarType::String;
  ScalarType type = plainScalarType(value);
  return type == ScalarType::Null ? ScalarType::String : type;
}

std::string Node::describe() const {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Sequence:
      return "a sequence";
    case Kind::Mapping:
      return "a mapping";
    case Kind::Scalar:
      break;
  }
  switch (scalarType()) {
    case ScalarType::Bool:
      return "a boolean (" + value + ")";
    case ScalarType::Int:
    case ScalarType::Float:
      return "a number (" + value + ")";
    default:
      return "a string (\"" + value + "\")";
  }
}

Node Node::scalar(std::string text, Mark mark, bool quoted) {
  Node node;
  node.kind = Kind::Scalar;
  node.value = std::move(text);
  node.mark = std::move(mark);
  node.quoted = quoted;
  return node;
}

Node Node::mapping(Mark mark) {
  Node node;
  node.kind = Kind::Mapping;
  node.mark = std::move(mark);
  return node;
}

Node Node::sequence(Mark mark) {
  Node node;
  node.kind = Kind::Sequence;
  node.mark = std::move(mark);
  return node;
}

std::string childPath(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).append(".").append(key);
  return out;
}

std::string indexPath(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

Mark locate(const Node& root, std::string_view path) {
  const Node* node = &root;
  Mark mark = root.mark;
  while (!path.empty()) {
    if (path[0] == '.') path.remove_prefix(1);
    if (path[0] == '[' && node->isSequence()) {
      size_t close = path.find(']');
      size_t index = std::strtoul(std::string(path.substr(1, close)).c_str(), nullptr, 10);
      if (close == std::string_view::npos || index >= node->items.size()) break;
      node = &node->items[index];
      mark = node->mark;
      path.remove_prefix(close + 1);
      continue;
    }
    const Entry* best = nullptr;
    for (const auto& entry : node->entries) {
      bool prefix = path.substr(0, entry.key.size()) == entry.key &&
                    (path.size() == entry.key.size() || path[entry.key.size()] == '.' ||
                     path[entry.key.size()] == '[');
      if (prefix && (!best || entry.key.size() > best->key.size())) best = &entry;
    }
    if (!best) break;
    node = &best->value;
    mark = best->key_mark;
    path.remove_prefix(best->key.size());
  }
  return mark;
}

void fail(const Node& node, const std::string& path, std::string message, std::string hint) {
  failAt(node.mark, path, std::move(message), std::move(hint));
}

void failAt(const Mark& mark, const std::string& path, std::string message, std::string hint) {
  throw configError(mark.location(path), std::move(message), std::move(hint));
}

}  // namespace stack::orchestrator::compose::yaml
