// DockerEngine: images (non-streaming calls), networks and volumes.

#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string listPath(const std::string& base, const runtime::ListFilter& filter) {
  auto filters = filtersParam(filter);
  return filters.empty() ? base : base + "?filters=" + filters;
}

}  // namespace

Awaitable<runtime::ImageDetails> DockerEngine::inspectImage(const std::string& reference) {
  auto response = co_await call("GET", "/images/" + urlEncode(reference) + "/json", "",
                                "inspect image " + quoted(reference));
  co_return parseImageDetails(parseBody(response.body, "image inspect"));
}

Awaitable<std::vector<runtime::ImageSummary>> DockerEngine::listImages(
    const runtime::ListFilter& filter) {
  auto response = co_await call("GET", listPath("/images/json", filter), "", "list images");
  auto json = parseBody(response.body, "image list");
  std::vector<runtime::ImageSummary> out;
  if (json.is_array()) {
    for (const auto& item : json) out.push_back(parseImageSummary(item));
  }
  co_return out;
}

Awaitable<void> DockerEngine::tagImage(const std::string& source, const std::string& repository,
                                       const std::string& tag) {
  std::string path = "/images/" + urlEncode(source) + "/tag?repo=" + urlEncode(repository);
  if (!tag.empty()) path += "&tag=" + urlEncode(tag);
  co_await call("POST", path, "", "tag image " + quoted(source));
}

Awaitable<runtime::ImageRemoveResult> DockerEngine::removeImage(const std::string& reference,
                                                                bool force) {
  auto response =
      co_await call("DELETE", "/images/" + urlEncode(reference) + "?force=" + (force ? "1" : "0"),
                    "", "remove image " + quoted(reference));
  runtime::ImageRemoveResult result;
  auto json = parseBody(response.body, "image remove");
  if (json.is_array()) {
    for (const auto& item : json) {
      if (item.contains("Untagged")) result.untagged.push_back(item.value("Untagged", ""));
      if (item.contains("Deleted")) result.deleted.push_back(item.value("Deleted", ""));
    }
  }
  co_return result;
}

Awaitable<std::string> DockerEngine::createNetwork(const runtime::NetworkCreateRequest& request) {
  auto response = co_await call("POST", "/networks/create", networkCreateBody(request).dump(),
                                "create network " + quoted(request.name));
  co_return parseBody(response.body, "network create").value("Id", std::string());
}

Awaitable<void> DockerEngine::connectNetwork(const std::string& network,
                                             const std::string& container,
                                             const runtime::EndpointSettings& endpoint) {
  Json body = {{"Container", container}, {"EndpointConfig", endpointSettingsJson(endpoint)}};
  co_await call("POST", "/networks/" + urlEncode(network) + "/connect", body.dump(),
                "connect " + quoted(container) + " to network " + quoted(network));
}

Awaitable<void> DockerEngine::disconnectNetwork(const std::string& network,
                                                const std::string& container, bool force) {
  Json body = {{"Container", container}, {"Force", force}};
  co_await call("POST", "/networks/" + urlEncode(network) + "/disconnect", body.dump(),
                "disconnect " + quoted(container) + " from network " + quoted(network));
}

Awaitable<runtime::NetworkDetails> DockerEngine::inspectNetwork(const std::string& network) {
  auto response = co_await call("GET", "/networks/" + urlEncode(network), "",
                                "inspect network " + quoted(network));
  co_return parseNetwork(parseBody(response.body, "network inspect"));
}

Awaitable<std::vector<runtime::NetworkDetails>> DockerEngine::listNetworks(
    const runtime::ListFilter& filter) {
  auto response = co_await call("GET", listPath("/networks", filter), "", "list networks");
  auto json = parseBody(response.body, "network list");
  std::vector<runtime::NetworkDetails> out;
  if (json.is_array()) {
    for (const auto& item : json) out.push_back(parseNetwork(item));
  }
  co_return out;
}

Awaitable<void> DockerEngine::removeNetwork(const std::string& network) {
  co_await call("DELETE", "/networks/" + urlEncode(network), "",
                "remove network " + quoted(network));
}

Awaitable<runtime::VolumeDetails> DockerEngine::createVolume(
    const runtime::VolumeCreateRequest& request) {
  auto response = co_await call("POST", "/volumes/create", volumeCreateBody(request).dump(),
                                "create volume " + quoted(request.name));
  co_return parseVolume(parseBody(response.body, "volume create"));
}

Awaitable<runtime::VolumeDetails> DockerEngine::inspectVolume(const std::string& name) {
  auto response =
      co_await call("GET", "/volumes/" + urlEncode(name), "", "inspect volume " + quoted(name));
  co_return parseVolume(parseBody(response.body, "volume inspect"));
}

Awaitable<std::vector<runtime::VolumeDetails>> DockerEngine::listVolumes(
    const runtime::ListFilter& filter) {
  auto response = co_await call("GET", listPath("/volumes", filter), "", "list volumes");
  auto json = parseBody(response.body, "volume list");
  std::vector<runtime::VolumeDetails> out;
  if (json.contains("Volumes") && json["Volumes"].is_array()) {
    for (const auto& item : json["Volumes"]) out.push_back(parseVolume(item));
  }
  co_return out;
}

Awaitable<void> DockerEngine::removeVolume(const std::string& name, bool force) {
  co_await call("DELETE", "/volumes/" + urlEncode(name) + "?force=" + (force ? "1" : "0"), "",
                "remove volume " + quoted(name));
}

}  // namespace stack::runtime::docker
