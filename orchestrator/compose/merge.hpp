#pragma once

// Merging compose files (compose-spec 13-merge.md), on canonical trees:
// - mappings merge key by key, recursively; scalars are replaced; a null override keeps
//   the base value;
// - sequences are appended (duplicates are removed afterwards by enforceUnicity);
// - `command`, `entrypoint`, `healthcheck.test` and each `ulimits.*` are replaced whole;
// - `logging` merges only when both sides name the same driver (or one names none);
// - `networks.*.ipam.config` merges pools with the same subnet;
// - `!reset` removes a value, `!override` replaces it without merging.
// Every node keeps its mark, so errors after merging still point into the right file.

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

// Merges the document `over` into `base` (both top-level mappings).
void mergeFile(yaml::Node& base, yaml::Node over);

// Merges one service definition over another (`extends`, and services across files).
void mergeService(yaml::Node& base, yaml::Node over, const std::string& path);

// Drops `!reset` values and clears `!override` tags in a tree that is not merged with
// anything (the first file, a new key).
void stripMergeTags(yaml::Node& node);

}  // namespace stack::orchestrator::compose
