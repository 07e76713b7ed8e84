#include "orchestrator/images/registry_credentials.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace stack::orchestrator::images {
namespace {

using Json = nlohmann::json;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Standard base64 (the config file's `auth`); nullopt when malformed.
std::optional<std::string> decodeBase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
  if (size < 0) return std::nullopt;
  size_t length = static_cast<size_t>(size);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --length;  // padding
  out.resize(length);
  return out;
}

std::string stringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string normalizeRegistryHost(const std::string& key) {
  std::string host = key;
  for (const char* scheme : {"https://", "http://"}) {
    if (host.rfind(scheme, 0) == 0) host = host.substr(std::string_view(scheme).size());
  }
  if (const auto slash = host.find('/'); slash != std::string::npos) host.resize(slash);
  if (host == "index.docker.io" || host == "registry-1.docker.io" || host == "docker.io") {
    return "docker.io";
  }
  return host;
}

std::string RegistryCredentials::configPath() {
  std::string dir = environment("DOCKER_CONFIG");
  if (dir.empty()) {
    const std::string home = environment("HOME");
    if (home.empty()) return {};
    dir = home + "/.docker";
  }
  return dir + "/config.json";
}

RegistryCredentials RegistryCredentials::load() {
  const std::string path = configPath();
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return {};
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  if (!stream) {
    RegistryCredentials none;
    none.warnings_.push_back("cannot read the docker config file \"" + path +
                             "\"; no registry credentials are sent");
    return none;
  }
  return parse(text.str(), path);
}

RegistryCredentials RegistryCredentials::parse(const std::string& text, const std::string& origin) {
  RegistryCredentials out;
  out.origin_ = origin;
  const Json config = Json::parse(text, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    out.warnings_.push_back("the docker config file \"" + origin +
                            "\" is not a JSON object; no registry credentials are sent");
    return out;
  }
  out.creds_store_ = stringField(config, "credsStore");
  if (auto helpers = config.find("credHelpers"); helpers != config.end() && helpers->is_object()) {
    for (const auto& [key, value] : helpers->items()) {
      if (value.is_string())
        out.cred_helpers_[normalizeRegistryHost(key)] = value.get<std::string>();
    }
  }
  auto auths = config.find("auths");
  if (auths == config.end() || !auths->is_object()) return out;
  for (const auto& [key, entry] : auths->items()) {
    if (!entry.is_object()) continue;
    runtime::RegistryAuth auth;
    auth.server_address = key;
    auth.username = stringField(entry, "username");
    auth.password = stringField(entry, "password");
    auth.identity_token = stringField(entry, "identitytoken");
    if (const std::string encoded = stringField(entry, "auth"); !encoded.empty()) {
      const auto decoded = decodeBase64(encoded);
      const auto colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        out.warnings_.push_back("the `auth` of \"" + key + "\" in \"" + origin +
                                "\" is not base64 of user:password; it is ignored");
        continue;
      }
      auth.username = decoded->substr(0, colon);
      auth.password = decoded->substr(colon + 1);
    }
    if (auth.empty()) continue;  // an entry a credential helper fills in
    out.auths_[normalizeRegistryHost(key)] = std::move(auth);
  }
  return out;
}

RegistryCredentials::Match RegistryCredentials::find(const std::string& registry) const {
  Match match;
  const std::string host = normalizeRegistryHost(registry);
  if (auto it = auths_.find(host); it != auths_.end()) {
    match.auth = it->second;
    return match;
  }
  std::string helper = creds_store_;
  if (auto it = cred_helpers_.find(host); it != cred_helpers_.end()) helper = it->second;
  if (!helper.empty()) {
    match.note = "no credentials for " + host + " were sent: \"" + origin_ +
                 "\" names the credential helper docker-credential-" + helper +
                 ", which stack does not run; add an `auths` entry for " + host +
                 " (user and password) to use credentials";
  }
  return match;
}

std::map<std::string, runtime::RegistryAuth> RegistryCredentials::all() const {
  std::map<std::string, runtime::RegistryAuth> out;
  for (const auto& [host, auth] : auths_) {
    out[host == "docker.io" ? "https://index.docker.io/v1/" : host] = auth;
  }
  return out;
}

}  // namespace stack::orchestrator::images
