#include "orchestrator/compose/interpolation.hpp"

#include <set>

namespace stack::orchestrator::compose {
namespace {

bool isNameStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

size_t nameLength(std::string_view text, size_t from) {
  if (from >= text.size() || !isNameStart(text[from])) return 0;
  size_t end = from + 1;
  while (end < text.size() && isNameChar(text[end])) ++end;
  return end - from;
}

// Index of the `}` that closes the `{` at `open`, or npos.
size_t closingBrace(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

class Substituter {
 public:
  Substituter(const LookupFn& lookup, Substitution& result) : lookup_(lookup), result_(result) {}

  // Returns false once an error has been recorded.
  bool run(std::string_view text, std::string& out);

 private:
  std::optional<std::string> get(const std::string& name) { return lookup_(name); }
  bool braced(std::string_view inner, std::string_view whole, std::string& out);
  bool invalid(std::string_view whole) {
    result_.error = "invalid interpolation format \"" + std::string(whole) + "\"";
    result_.hint = "write ${NAME}, ${NAME:-default} or ${NAME:?error}; use $$ for a literal $";
    return false;
  }
  void warnUnset(const std::string& name) { result_.unset.push_back(name); }

  const LookupFn& lookup_;
  Substitution& result_;
};

bool Substituter::run(std::string_view text, std::string& out) {
  size_t i = 0;
  while (i < text.size()) {
    size_t dollar = text.find('$', i);
    if (dollar == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, dollar - i));
    char next = dollar + 1 < text.size() ? text[dollar + 1] : '\0';
    if (next == '$') {
      out.push_back('$');
      i = dollar + 2;
    } else if (size_t length = nameLength(text, dollar + 1); length > 0) {
      std::string name(text.substr(dollar + 1, length));
      auto value = get(name);
      if (!value) warnUnset(name);
      out.append(value.value_or(""));
      i = dollar + 1 + length;
    } else if (next == '{') {
      size_t close = closingBrace(text, dollar + 1);
      if (close == std::string_view::npos) return invalid(text.substr(dollar));
      std::string_view whole = text.substr(dollar, close - dollar + 1);
      if (!braced(text.substr(dollar + 2, close - dollar - 2), whole, out)) return false;
      i = close + 1;
    } else {
      out.push_back('$');  // compose leaves a lone `$` as it is
      i = dollar + 1;
    }
  }
  return true;
}

bool Substituter::braced(std::string_view inner, std::string_view whole, std::string& out) {
  size_t length = nameLength(inner, 0);
  if (length == 0) return invalid(whole);
  std::string name(inner.substr(0, length));
  std::string_view rest = inner.substr(length);
  auto value = get(name);
  if (rest.empty()) {
    if (!value) warnUnset(name);
    out.append(value.value_or(""));
    return true;
  }
  bool colon = rest[0] == ':';
  if (colon) rest.remove_prefix(1);
  if (rest.empty() || (rest[0] != '-' && rest[0] != '?' && rest[0] != '+')) {
    return invalid(whole);
  }
  char op = rest[0];
  std::string_view word = rest.substr(1);
  bool present = value && (!colon || !value->empty());
  if (op == '-') {
    return present ? (out.append(*value), true) : run(word, out);
  }
  if (op == '+') {
    return present ? run(word, out) : (out.append(value.value_or("")), true);
  }
  if (present) {
    out.append(*value);
    return true;
  }
  std::string reason;
  if (!run(word, reason)) return false;
  result_.error = "required variable " + name + " is missing a value" +
                  (reason.empty() ? std::string() : ": " + reason);
  result_.hint = "set " + name + " in the environment, in .env or with --env-file";
  return false;
}

// The key path of a node, built only when an error needs it.
struct PathFrame {
  const PathFrame* parent;
  std::string_view key;  // empty for a sequence item
  size_t index;
  std::string render() const {
    std::string base = parent ? parent->render() : std::string();
    return key.empty() ? yaml::indexPath(base, index) : yaml::childPath(base, key);
  }
};

struct TreeInterpolator {
  const LookupFn& lookup;
  std::set<std::string> warned;
  std::vector<std::string>& warnings;

  void walk(yaml::Node& node, const PathFrame* path) {
    if (node.isScalar()) {
      if (node.value.find('$') != std::string::npos) substituteScalar(node, path);
      return;
    }
    for (size_t i = 0; i < node.items.size(); ++i) {
      PathFrame frame{path, {}, i};
      walk(node.items[i], &frame);
    }
    for (auto& entry : node.entries) {
      PathFrame frame{path, entry.key, 0};
      walk(entry.value, &frame);
    }
  }

  void substituteScalar(yaml::Node& node, const PathFrame* path) {
    Substitution result = substitute(node.value, lookup);
    if (result.error) yaml::fail(node, path ? path->render() : "", *result.error, result.hint);
    for (const auto& name : result.unset) {
      if (warned.insert(name).second) {
        warnings.push_back("the \"" + name +
                           "\" variable is not set; defaulting to a blank string");
      }
    }
    if (result.text != node.value) {
      node.value = std::move(result.text);
      node.interpolated = true;
    }
  }
};

}  // namespace

Substitution substitute(std::string_view text, const LookupFn& lookup) {
  Substitution result;
  Substituter substituter(lookup, result);
  std::string out;
  if (substituter.run(text, out)) result.text = std::move(out);
  return result;
}

void interpolateTree(yaml::Node& root, const LookupFn& lookup, std::vector<std::string>& warnings) {
  TreeInterpolator interpolator{lookup, {}, warnings};
  interpolator.walk(root, nullptr);
}

}  // namespace stack::orchestrator::compose
