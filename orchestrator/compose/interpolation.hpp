#pragma once

// Variable interpolation in compose values, as compose-go's template package does it:
// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
// `${VAR:+alternative}`, `${VAR+alternative}`, nested defaults (`${A:-${B:-x}}`) and `$$`
// for a literal dollar sign. Variables that are not set become empty, with a warning.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

using LookupFn = std::function<std::optional<std::string>(const std::string& name)>;

struct Substitution {
  std::string text;
  std::vector<std::string> unset;  // variables that were used but not set
  // Set when the template is invalid or a required variable is missing.
  std::optional<std::string> error;
  std::string hint;
};

// Substitutes one string. Never throws; problems are reported in `error`.
Substitution substitute(std::string_view text, const LookupFn& lookup);

// Interpolates every scalar value (never a key) of a document. Values that change are
// marked `interpolated`, which lets typed fields accept them ("${REPLICAS}" -> 3). A
// missing required variable or an invalid template throws a Config error located at
// the value. Unset variables add one warning each to `warnings`.
void interpolateTree(yaml::Node& root, const LookupFn& lookup, std::vector<std::string>& warnings);

}  // namespace stack::orchestrator::compose
