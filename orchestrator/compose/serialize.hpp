#pragma once

// `stack config` output, in the shape `docker compose config` prints: long syntax, engine
// names of networks and volumes resolved, durations as Go-style strings ("1m30s"), byte
// sizes as decimal strings ("536870912"), file modes as octal strings ("0440"). Only the
// enabled services are printed. JSON keys are sorted; YAML puts the top-level keys in
// compose's order (name, services, networks, volumes, configs, secrets, x-*).

#include <string>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

// Strings in the model are UTF-8 (the loader rejects other input), but values from the
// OS environment are not checked: dump with Json::error_handler_t::replace.
//
// The whole project as `docker compose config --format json` prints it. As compose does,
// `command` and `entrypoint` are printed as null when unset, and service `x-*` keys are
// left out of JSON.
Json projectToJson(const Project& project);

// One service, in the same form as inside projectToJson.
Json serviceToJson(const Service& service);

// The same content as YAML (`docker compose config`), without the null command and
// entrypoint, and with service `x-*` keys.
std::string projectToYaml(const Project& project);

// Any JSON value as block YAML; strings that YAML would read as another type are quoted.
std::string jsonToYaml(const Json& value);

}  // namespace stack::orchestrator::compose
