#include "orchestrator/oneoff/oneoff_spec.hpp"

#include <algorithm>
#include <random>

#include "core/error.hpp"
#include "orchestrator/compose/canonical.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/paths.hpp"
#include "orchestrator/compose/service_builder.hpp"

namespace stack::orchestrator::oneoff {
namespace {

using compose::yaml::Node;

void applyEnvironment(compose::Service& service, const std::vector<std::string>& env) {
  for (const auto& entry : env) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos) continue;  // a KEY the caller could not resolve
    service.environment[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
}

// A later mount on the same target replaces the service's (the engine refuses two).
void applyVolumes(compose::Service& service, const std::vector<compose::ServiceVolume>& volumes) {
  for (const auto& volume : volumes) {
    auto& list = service.volumes;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const auto& v) { return v.target == volume.target; }),
               list.end());
    list.push_back(volume);
  }
}

void setAliases(runtime::EndpointSettings& endpoint, const std::string& name, bool use_aliases) {
  if (!use_aliases) endpoint.aliases.clear();
  endpoint.aliases.insert(endpoint.aliases.begin(), name);
}

// Builds a service from one short-syntax list (`key: [value]`) with the loader's own
// parsers, so flags accept exactly what compose files accept.
compose::Service parseListKey(const std::string& key, const std::string& value,
                              const std::string& flag, const std::string* base_dir,
                              const std::string& home) {
  const compose::yaml::Mark mark;
  Node service = Node::mapping(mark);
  Node list = Node::sequence(mark);
  list.items.push_back(Node::scalar(value, mark, true));
  service.set(key, std::move(list));
  try {
    compose::canonicalizeService(service, "services.run");
    if (base_dir) compose::resolveServicePaths(service, *base_dir, home);
    return compose::buildService("run", service);
  } catch (const Error& error) {
    throw Error(ErrorKind::Usage, "invalid " + flag + " \"" + value + "\": " + error.message(),
                error.hint());
  }
}

}  // namespace

std::string newOneOffSlug() {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string slug(64, '0');
  for (char& c : slug) c = "0123456789abcdef"[digit(random)];
  return slug;
}

std::string oneOffName(const compose::Project& project, const RunRequest& request,
                       const std::string& slug) {
  if (!request.name.empty()) return request.name;
  return project.name + "-" + request.service + "-run-" + slug.substr(0, 12);
}

compose::Service oneOffService(const compose::Project& project, const RunRequest& request) {
  auto it = project.services.find(request.service);
  if (it == project.services.end()) {
    throw Error(ErrorKind::Usage, "no such service: " + request.service,
                "`stack config --services` lists the project's services");
  }
  compose::Service service = it->second;
  service.tty = request.tty;
  service.stdin_open = request.interactive;
  service.container_name.clear();  // --name or a generated name, never container_name
  if (request.command) service.command = *request.command;
  if (request.entrypoint) {
    service.entrypoint = *request.entrypoint;
    if (!request.command) service.command = std::vector<std::string>{};
  }
  if (!request.user.empty()) service.user = request.user;
  if (!request.working_dir.empty()) service.working_dir = request.working_dir;
  applyEnvironment(service, request.env);
  for (const auto& [key, value] : request.labels) service.labels[key] = value;
  if (!request.service_ports) service.ports = request.publish;
  applyVolumes(service, request.volumes);
  service.restart.clear();
  if (service.deploy) service.deploy->restart_policy.reset();
  return service;
}

planner::ContainerSpec oneOffSpec(const compose::Project& project, const compose::Service& service,
                                  const RunRequest& request, const OneOffIdentity& identity) {
  planner::ContainerIdentity container;
  container.name = identity.name;
  container.config_hash = identity.config_hash;
  container.image_id = identity.image_id;
  container.oneoff = true;
  planner::ContainerSpec spec = planner::containerSpec(project, service, container);
  auto& config = spec.create.config;
  config.labels.erase(std::string(compose::labels::kContainerNumber));  // one-offs are not numbered
  config.labels[std::string(compose::labels::kSlug)] = identity.slug;
  config.open_stdin = request.interactive;
  config.attach_stdin = request.interactive;
  config.stdin_once = request.interactive;
  // Attached, stack removes the container itself once it has its exit code; detached,
  // nobody will be there to do it.
  spec.create.host_config.auto_remove = request.remove && request.detach;
  for (auto& [_, endpoint] : spec.create.networks) {
    setAliases(endpoint, identity.name, request.use_aliases);
  }
  for (auto& connection : spec.extra_networks) {
    setAliases(connection.endpoint, identity.name, request.use_aliases);
  }
  return spec;
}

std::vector<compose::PortConfig> parsePublishFlags(const std::vector<std::string>& values) {
  std::vector<compose::PortConfig> out;
  for (const auto& value : values) {
    auto parsed = parseListKey("ports", value, "--publish", nullptr, "").ports;
    out.insert(out.end(), parsed.begin(), parsed.end());
  }
  return out;
}

std::vector<compose::ServiceVolume> parseVolumeFlags(const std::vector<std::string>& values,
                                                     const std::string& base_dir,
                                                     const std::string& home) {
  std::vector<compose::ServiceVolume> out;
  for (const auto& value : values) {
    auto parsed = parseListKey("volumes", value, "--volume", &base_dir, home).volumes;
    out.insert(out.end(), parsed.begin(), parsed.end());
  }
  return out;
}

}  // namespace stack::orchestrator::oneoff
