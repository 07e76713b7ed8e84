// Interim config hash until the loader's canonical serializer lands: covers the fields
// the walking skeleton maps to the engine.
#include <openssl/evp.h>

#include "orchestrator/compose/config_hash.hpp"

namespace stack::compose {

std::string serviceConfigHash(const Project&, const Service& service) {
  Json canonical = {{"v", "interim"}, {"image", service.image}};
  if (service.command) canonical["command"] = *service.command;
  if (service.entrypoint) canonical["entrypoint"] = *service.entrypoint;
  for (const auto& [k, v] : service.environment) canonical["environment"][k] = v ? *v : "";
  canonical["labels"] = service.labels;
  for (const auto& port : service.ports) {
    canonical["ports"].push_back({port.target, port.published, port.host_ip, port.protocol});
  }
  for (const auto& volume : service.volumes) {
    canonical["volumes"].push_back({volume.type, volume.source, volume.target, volume.read_only});
  }
  const std::string text = canonical.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace stack::compose
