// DockerSwarmEngine: the Swarm endpoints (info, nodes, services, tasks, secrets, configs).

#include "runtime/docker/docker_swarm.hpp"

#include "runtime/decode/json_fields.hpp"
#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

using runtime::decode::detail::integerField;
using runtime::decode::detail::member;
using runtime::decode::detail::stringField;

const Json& child(const Json& json, std::string_view key) {
  static const Json kNull;
  const Json* value = member(json, key);
  return value ? *value : kNull;
}

runtime::StringMap labelsOf(const Json& json) {
  runtime::StringMap out;
  const Json& labels = child(json, "Labels");
  if (!labels.is_object()) return out;
  for (const auto& [key, value] : labels.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string filtersQuery(const runtime::ListFilter& filter) {
  const std::string filters = filtersParam(filter);
  return filters.empty() ? "" : "filters=" + filters;
}

std::string withQuery(std::string path, const std::string& query) {
  if (query.empty()) return path;
  return path + (path.find('?') == std::string::npos ? "?" : "&") + query;
}

std::vector<std::string> warningsOf(const std::string& body) {
  std::vector<std::string> out;
  const Json json = Json::parse(body, nullptr, false);
  const Json& warnings = child(json, "Warnings");
  if (!warnings.is_array()) return out;
  for (const auto& warning : warnings) {
    if (warning.is_string()) out.push_back(warning.get<std::string>());
  }
  return out;
}

Json fileObjectBody(const runtime::SwarmFileObjectSpec& spec) {
  Json body = {{"Name", spec.name}, {"Labels", spec.labels}, {"Data", base64(spec.data)}};
  if (!spec.driver.empty()) {
    body["Driver"] = {{"Name", spec.driver}, {"Options", spec.driver_options}};
    body.erase("Data");
  }
  if (!spec.templating.empty()) body["Templating"] = {{"Name", spec.templating}};
  return body;
}

}  // namespace

runtime::SwarmInfo parseSwarmInfo(const Json& info) {
  const Json& swarm = child(info, "Swarm");
  runtime::SwarmInfo out;
  out.node_id = stringField(swarm, "NodeID");
  out.node_address = stringField(swarm, "NodeAddr");
  out.local_node_state = stringField(swarm, "LocalNodeState");
  if (out.local_node_state.empty()) out.local_node_state = "inactive";
  const Json* control = member(swarm, "ControlAvailable");
  out.control_available = control && control->is_boolean() && control->get<bool>();
  out.nodes = static_cast<int>(integerField(swarm, "Nodes"));
  out.managers = static_cast<int>(integerField(swarm, "Managers"));
  out.error = stringField(swarm, "Error");
  return out;
}

runtime::SwarmNode parseSwarmNode(const Json& json) {
  runtime::SwarmNode out;
  out.id = stringField(json, "ID");
  const Json& spec = child(json, "Spec");
  out.role = stringField(spec, "Role");
  out.availability = stringField(spec, "Availability");
  out.labels = labelsOf(spec);
  out.hostname = stringField(child(json, "Description"), "Hostname");
  out.state = stringField(child(json, "Status"), "State");
  out.address = stringField(child(json, "Status"), "Addr");
  return out;
}

runtime::SwarmService parseSwarmService(const Json& json) {
  runtime::SwarmService out;
  out.id = stringField(json, "ID");
  out.version = static_cast<uint64_t>(integerField(child(json, "Version"), "Index"));
  out.spec = child(json, "Spec");
  out.name = stringField(out.spec, "Name");
  out.labels = labelsOf(out.spec);
  out.endpoint = child(json, "Endpoint");
  out.update_state = stringField(child(json, "UpdateStatus"), "State");
  out.update_message = stringField(child(json, "UpdateStatus"), "Message");
  const Json& status = child(json, "ServiceStatus");
  if (status.is_object()) {
    out.running_tasks = static_cast<uint64_t>(integerField(status, "RunningTasks"));
    out.desired_tasks = static_cast<uint64_t>(integerField(status, "DesiredTasks"));
  }
  out.created_at = stringField(json, "CreatedAt");
  out.updated_at = stringField(json, "UpdatedAt");
  return out;
}

runtime::SwarmTask parseSwarmTask(const Json& json) {
  runtime::SwarmTask out;
  out.id = stringField(json, "ID");
  out.service_id = stringField(json, "ServiceID");
  out.node_id = stringField(json, "NodeID");
  out.slot = static_cast<int>(integerField(json, "Slot"));
  out.desired_state = stringField(json, "DesiredState");
  const Json& status = child(json, "Status");
  out.state = stringField(status, "State");
  out.message = stringField(status, "Message");
  out.error = stringField(status, "Err");
  out.timestamp = stringField(status, "Timestamp");
  const Json& container = child(status, "ContainerStatus");
  out.container_id = stringField(container, "ContainerID");
  if (member(container, "ExitCode"))
    out.exit_code = static_cast<int>(integerField(container, "ExitCode"));
  out.image = stringField(child(child(json, "Spec"), "ContainerSpec"), "Image");
  const Json& ports = child(child(status, "PortStatus"), "Ports");
  if (ports.is_array()) {
    for (const auto& port : ports) {
      runtime::PortSummary summary;
      summary.private_port = static_cast<uint16_t>(integerField(port, "TargetPort"));
      summary.public_port = static_cast<uint16_t>(integerField(port, "PublishedPort"));
      summary.type = stringField(port, "Protocol");
      out.ports.push_back(summary);
    }
  }
  return out;
}

runtime::SwarmFileObject parseSwarmFileObject(const Json& json) {
  runtime::SwarmFileObject out;
  out.id = stringField(json, "ID");
  out.version = static_cast<uint64_t>(integerField(child(json, "Version"), "Index"));
  out.name = stringField(child(json, "Spec"), "Name");
  out.labels = labelsOf(child(json, "Spec"));
  out.created_at = stringField(json, "CreatedAt");
  return out;
}

Awaitable<HttpResponse> DockerSwarmEngine::call(std::string method, std::string path,
                                                std::string body, std::string what,
                                                std::vector<std::string> headers) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = co_await engine_.prefix() + path;
  request.body = std::move(body);
  request.headers = std::move(headers);
  request.timeout = std::chrono::seconds(60);
  HttpResponse response = co_await engine_.http_.send(std::move(request));
  if (response.status >= 200 && response.status < 300) co_return response;
  Error error = engineError(response.status, response.body, what);
  if (response.status == 503) {
    error.setHint(
        "run `docker swarm init` on this machine, or point DOCKER_HOST (or --context) at a "
        "swarm manager");
  }
  throw error;
}

Awaitable<runtime::SwarmInfo> DockerSwarmEngine::swarmInfo() {
  auto response = co_await call("GET", "/info", "", "get engine info");
  co_return parseSwarmInfo(parseBody(response.body, "GET /info"));
}

Awaitable<std::vector<runtime::SwarmNode>> DockerSwarmEngine::listNodes() {
  auto response = co_await call("GET", "/nodes", "", "list swarm nodes");
  std::vector<runtime::SwarmNode> out;
  for (const auto& item : parseBody(response.body, "node list"))
    out.push_back(parseSwarmNode(item));
  co_return out;
}

Awaitable<std::vector<runtime::SwarmService>> DockerSwarmEngine::listServices(
    const runtime::ListFilter& filter, bool status) {
  std::string path = withQuery("/services", filtersQuery(filter));
  if (status) path = withQuery(path, "status=true");
  auto response = co_await call("GET", path, "", "list services");
  std::vector<runtime::SwarmService> out;
  for (const auto& item : parseBody(response.body, "service list")) {
    out.push_back(parseSwarmService(item));
  }
  co_return out;
}

Awaitable<runtime::SwarmService> DockerSwarmEngine::inspectService(const std::string& id) {
  auto response =
      co_await call("GET", "/services/" + urlEncode(id), "", "inspect service " + quoted(id));
  co_return parseSwarmService(parseBody(response.body, "service inspect"));
}

Awaitable<runtime::ServiceWriteResult> DockerSwarmEngine::createService(
    const Json& spec, const runtime::RegistryAuth& auth) {
  std::vector<std::string> headers;
  if (!auth.empty()) headers.push_back(registryAuthHeader(auth));
  const std::string name = spec.value("Name", "");
  auto response = co_await call("POST", "/services/create", spec.dump(),
                                "create service " + quoted(name), std::move(headers));
  const Json json = parseBody(response.body, "service create");
  co_return runtime::ServiceWriteResult{stringField(json, "ID"), warningsOf(response.body)};
}

Awaitable<runtime::ServiceWriteResult> DockerSwarmEngine::updateService(
    const std::string& id, uint64_t version, const Json& spec, const runtime::RegistryAuth& auth) {
  std::vector<std::string> headers;
  if (!auth.empty()) headers.push_back(registryAuthHeader(auth));
  const std::string path =
      "/services/" + urlEncode(id) + "/update?version=" + std::to_string(version);
  const std::string name = spec.value("Name", id);
  auto response = co_await call("POST", path, spec.dump(), "update service " + quoted(name),
                                std::move(headers));
  co_return runtime::ServiceWriteResult{id, warningsOf(response.body)};
}

Awaitable<void> DockerSwarmEngine::removeService(const std::string& id) {
  co_await call("DELETE", "/services/" + urlEncode(id), "", "remove service " + quoted(id));
}

Awaitable<std::vector<runtime::SwarmTask>> DockerSwarmEngine::listTasks(
    const runtime::TaskFilter& filter) {
  Json filters = Json::object();
  if (!filter.labels.empty()) filters["label"] = filter.labels;
  if (!filter.services.empty()) filters["service"] = filter.services;
  if (!filter.desired_state.empty()) filters["desired-state"] = {filter.desired_state};
  if (filter.up_to_date) filters["_up-to-date"] = {"true"};
  std::string path = "/tasks";
  if (!filters.empty()) path += "?filters=" + urlEncode(filters.dump());
  auto response = co_await call("GET", path, "", "list tasks");
  std::vector<runtime::SwarmTask> out;
  for (const auto& item : parseBody(response.body, "task list"))
    out.push_back(parseSwarmTask(item));
  co_return out;
}

Awaitable<std::vector<runtime::SwarmFileObject>> DockerSwarmEngine::listObjects(
    const std::string& kind, const runtime::ListFilter& filter) {
  auto response = co_await call("GET", withQuery("/" + kind + "s", filtersQuery(filter)), "",
                                "list " + kind + "s");
  std::vector<runtime::SwarmFileObject> out;
  for (const auto& item : parseBody(response.body, kind + " list")) {
    out.push_back(parseSwarmFileObject(item));
  }
  co_return out;
}

Awaitable<std::string> DockerSwarmEngine::createObject(const std::string& kind,
                                                       const runtime::SwarmFileObjectSpec& spec) {
  auto response = co_await call("POST", "/" + kind + "s/create", fileObjectBody(spec).dump(),
                                "create " + kind + " " + quoted(spec.name));
  co_return stringField(parseBody(response.body, kind + " create"), "ID");
}

Awaitable<std::vector<runtime::SwarmFileObject>> DockerSwarmEngine::listSecrets(
    const runtime::ListFilter& filter) {
  co_return co_await listObjects("secret", filter);
}

Awaitable<std::string> DockerSwarmEngine::createSecret(const runtime::SwarmFileObjectSpec& spec) {
  co_return co_await createObject("secret", spec);
}

Awaitable<void> DockerSwarmEngine::removeSecret(const std::string& id) {
  co_await call("DELETE", "/secrets/" + urlEncode(id), "", "remove secret " + quoted(id));
}

Awaitable<std::vector<runtime::SwarmFileObject>> DockerSwarmEngine::listConfigs(
    const runtime::ListFilter& filter) {
  co_return co_await listObjects("config", filter);
}

Awaitable<std::string> DockerSwarmEngine::createConfig(const runtime::SwarmFileObjectSpec& spec) {
  co_return co_await createObject("config", spec);
}

Awaitable<void> DockerSwarmEngine::removeConfig(const std::string& id) {
  co_await call("DELETE", "/configs/" + urlEncode(id), "", "remove config " + quoted(id));
}

}  // namespace stack::runtime::docker
