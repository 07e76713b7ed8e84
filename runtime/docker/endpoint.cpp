#include "runtime/docker/endpoint.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace stack::runtime::docker {
namespace {

std::string lookup(const std::optional<std::map<std::string, std::string>>& environment,
                   const std::string& key) {
  if (environment) {
    auto it = environment->find(key);
    return it == environment->end() ? std::string() : it->second;
  }
  const char* value = std::getenv(key.c_str());
  return value ? value : "";
}

void configureTls(Endpoint& endpoint,
                  const std::optional<std::map<std::string, std::string>>& environment) {
  std::string cert_path = lookup(environment, "DOCKER_CERT_PATH");
  if (cert_path.empty()) cert_path = lookup(environment, "HOME") + "/.docker";
  endpoint.ca_file = cert_path + "/ca.pem";
  endpoint.cert_file = cert_path + "/cert.pem";
  endpoint.key_file = cert_path + "/key.pem";
}

}  // namespace

Endpoint resolveEndpoint(const std::optional<std::map<std::string, std::string>>& environment) {
  Endpoint endpoint;
  endpoint.host = lookup(environment, "DOCKER_HOST");
  if (endpoint.host.empty()) endpoint.host = "unix:///var/run/docker.sock";

  if (endpoint.host.rfind("unix://", 0) == 0) {
    endpoint.socket_path = endpoint.host.substr(7);
    if (endpoint.socket_path.empty()) {
      throw Error(ErrorKind::Usage, "DOCKER_HOST \"" + endpoint.host + "\" names no socket",
                  "use the form unix:///var/run/docker.sock");
    }
    endpoint.base_url = "http://localhost";
    return endpoint;
  }
  if (endpoint.host.rfind("tcp://", 0) == 0) {
    std::string authority = endpoint.host.substr(6);
    while (!authority.empty() && authority.back() == '/') authority.pop_back();
    endpoint.tls_verify = !lookup(environment, "DOCKER_TLS_VERIFY").empty();
    endpoint.tls = endpoint.tls_verify || !lookup(environment, "DOCKER_TLS").empty();
    if (authority.empty()) {
      throw Error(ErrorKind::Usage, "DOCKER_HOST \"" + endpoint.host + "\" names no host",
                  "use the form tcp://host:2376");
    }
    if (authority.find(':') == std::string::npos || authority.back() == ']') {
      authority += endpoint.tls ? ":2376" : ":2375";
    }
    endpoint.base_url = (endpoint.tls ? "https://" : "http://") + authority;
    if (endpoint.tls) configureTls(endpoint, environment);
    return endpoint;
  }
  throw Error(ErrorKind::Usage, "unsupported DOCKER_HOST \"" + endpoint.host + "\"",
              "stack talks to unix:// and tcp:// endpoints; for ssh://, forward the socket "
              "(ssh -L /tmp/docker.sock:/var/run/docker.sock host) and use unix://");
}

std::string engineUnavailableHint(const Endpoint& endpoint) {
  if (endpoint.isUnix()) {
    return "is dockerd running? Start it with `sudo systemctl start docker` or "
           "`sudo dockerd &` (scripts/setup.sh does this on Debian), or set DOCKER_HOST to "
           "the engine's socket";
  }
  return "is the engine listening at " + endpoint.base_url +
         "? Check DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH";
}

}  // namespace stack::runtime::docker
