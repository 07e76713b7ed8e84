#pragma once

// Where the engine listens, as the docker CLI resolves it from the environment:
// DOCKER_HOST (unix:// or tcp://; default unix:///var/run/docker.sock), DOCKER_TLS_VERIFY,
// DOCKER_TLS and DOCKER_CERT_PATH (default ~/.docker).

#include <map>
#include <optional>
#include <string>

namespace stack::runtime::docker {

struct Endpoint {
  std::string host;         // as given, for messages: "unix:///var/run/docker.sock"
  std::string socket_path;  // set for unix://
  std::string base_url;     // "http://localhost" for unix, "https://h:2376" for tcp+TLS
  bool tls = false;
  bool tls_verify = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;

  bool isUnix() const { return !socket_path.empty(); }
};

// Resolves the endpoint from `environment` (std::nullopt reads the process environment).
// Throws stack::Error (Usage) for an unsupported or malformed DOCKER_HOST.
Endpoint resolveEndpoint(
    const std::optional<std::map<std::string, std::string>>& environment = std::nullopt);

// The hint given whenever the engine cannot be reached at `endpoint`.
std::string engineUnavailableHint(const Endpoint& endpoint);

}  // namespace stack::runtime::docker
