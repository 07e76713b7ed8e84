#pragma once

// Typed reads from located YAML nodes for the model builder. Each read either returns a
// value or throws a Config error at the node's file:line:col with its key path and what
// was expected ("must be a boolean, not a string ("yes")").
//
// Typing follows compose: plain scalars have their YAML 1.2 type; quoted ones are strings;
// a value produced by interpolation is a string that typed fields may cast
// ("${REPLICAS}" -> 3), as compose-go's interpolation casts do.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose::reader {

using yaml::Node;

void requireMapping(const Node& node, const std::string& path);
void requireSequence(const Node& node, const std::string& path);

// Throws on a key that is neither known nor `x-*`, suggesting the closest known key.
void checkKeys(const Node& mapping, const std::string& path,
               std::initializer_list<std::string_view> known);
// The `x-*` entries of a mapping as JSON (null when there are none).
Json extensions(const Node& mapping);

// A string. Numbers and booleans are accepted where compose's schema accepts them
// (`allow_scalars`), and keep their text.
std::string toString(const Node& node, const std::string& path, bool allow_scalars = false);
bool toBool(const Node& node, const std::string& path);
int64_t toInt(const Node& node, const std::string& path, int64_t min = INT64_MIN,
              int64_t max = INT64_MAX);
double toFloat(const Node& node, const std::string& path);
Duration toDuration(const Node& node, const std::string& path);
int64_t toBytes(const Node& node, const std::string& path);
// File modes: an octal string ("0440") or a number (288 or 0o440).
uint32_t toFileMode(const Node& node, const std::string& path);

// A list of strings; `allow_scalar` accepts a single string for a one-item list.
std::vector<std::string> toStringList(const Node& node, const std::string& path,
                                      bool allow_scalar = false, bool allow_numbers = false);
// A mapping of strings (canonical form of list-or-mapping keys). Null values become "".
StringMap toStringMap(const Node& node, const std::string& path);
// Like toStringMap, but null values stay std::nullopt (environment, build args).
OptionalStringMap toOptionalStringMap(const Node& node, const std::string& path);
// Any value as JSON, scalars typed as YAML resolves them.
Json toJson(const Node& node);

// A shell command: a string split into words, or a list of strings. Null means unset.
std::optional<std::vector<std::string>> toCommand(const Node& node, const std::string& path);

// The text of a scalar for messages.
std::string quote(const std::string& text);

}  // namespace stack::orchestrator::compose::reader
