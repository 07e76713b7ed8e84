#pragma once

// Parsers for the short syntaxes of service ports, volumes and devices. Each returns the
// equivalent long-form mapping nodes, located where the short form was written, or
// throws a Config error that quotes the spec and says what form is expected.

#include <string>
#include <vector>

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

// "[IP:][HOST[-END]:]CONTAINER[-END][/PROTOCOL]" or a bare number. A container range
// gives one mapping per port.
std::vector<yaml::Node> parsePortSpec(const yaml::Node& spec, const std::string& path);

// "TARGET", "SOURCE:TARGET" or "SOURCE:TARGET:OPTIONS" (ro, rw, nocopy, z, Z, shared, ...).
// A source starting with '.', '/' or '~' is a bind mount; otherwise a named volume.
yaml::Node parseVolumeSpec(const yaml::Node& spec, const std::string& path);

// "SOURCE[:TARGET[:PERMISSIONS]]".
yaml::Node parseDeviceSpec(const yaml::Node& spec, const std::string& path);

// POSIX path.Clean: "/a//b/../c/" -> "/a/c".
std::string cleanPath(const std::string& path);

}  // namespace stack::orchestrator::compose
