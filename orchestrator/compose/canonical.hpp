#pragma once

// The canonical (long) form of one compose file, at the tree level, before merging.
//
// Merging depends on the form of a value: `ports: ["80:80"]` and `ports: [{target: 80}]`
// must deduplicate against each other, `environment: [A=1]` must override `{A: 0}`. So
// every file is rewritten to the long syntax first: ports, volumes, secrets, configs,
// depends_on, networks, env_file, build, extends, devices and the list-or-mapping keys
// (environment, labels, ...). Short syntax that cannot be parsed is reported here with
// its location. Values whose form is simply wrong are left as they are; the model builder
// reports them with a precise "expected ..." message.

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

// Rewrites the services of a file (a top-level mapping) in place.
void canonicalizeFile(yaml::Node& root);

// Rewrites one service; `path` is "services.<name>".
void canonicalizeService(yaml::Node& service, const std::string& path);

// After merging: removes duplicates from the sequences compose deduplicates (ports by
// address, volumes/secrets/configs by target, cap_add by value, ...). A later entry
// replaces an earlier one with the same key, keeping the earlier position.
void enforceUnicity(yaml::Node& root);

}  // namespace stack::orchestrator::compose
