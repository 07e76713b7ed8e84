#pragma once

// Registry credentials from the docker CLI's config file, sent to the engine as
// X-Registry-Auth on pulls and pushes (and as X-Registry-Config on builds, for bases).
//
// The file is $DOCKER_CONFIG/config.json, else ~/.docker/config.json. Only its `auths`
// section is read; each entry is keyed by a registry ("https://index.docker.io/v1/",
// "registry.example.com", "http://127.0.0.1:5000/v2/") and holds either `auth`
// (base64 of "user:password"), `username` and `password`, or `identitytoken`.
//
// Credential helpers (`credsStore`, `credHelpers`) run external programs and are out of
// scope: when one would apply and no `auths` entry matches, find() says so in `note`, so
// that a failing pull can tell the user why no credentials were sent.
//
// A missing file means no credentials. An unreadable or malformed file is not fatal (the
// docker CLI only warns too): warnings() says what was wrong, and nothing is sent.

#include <map>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"

namespace stack::orchestrator::images {

class RegistryCredentials {
 public:
  struct Match {
    runtime::RegistryAuth auth;  // empty when nothing matched
    std::string note;            // why nothing was sent, when that may matter
  };

  // Reads the config file named above.
  static RegistryCredentials load();
  // Parses a config file's text; `origin` names it in warnings.
  static RegistryCredentials parse(const std::string& text, const std::string& origin);
  // The file load() reads.
  static std::string configPath();

  // Credentials for a registry host as ImageReference::registry() gives it.
  Match find(const std::string& registry) const;
  // Every credential, keyed as the engine's X-Registry-Config expects.
  std::map<std::string, runtime::RegistryAuth> all() const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::map<std::string, runtime::RegistryAuth> auths_;  // by normalized registry host
  std::string creds_store_;
  std::map<std::string, std::string> cred_helpers_;  // by normalized registry host
  std::string origin_;
  std::vector<std::string> warnings_;
};

// "https://index.docker.io/v1/" -> "docker.io", "http://127.0.0.1:5000/v2/" ->
// "127.0.0.1:5000": the form ImageReference::registry() returns.
std::string normalizeRegistryHost(const std::string& key);

}  // namespace stack::orchestrator::images
