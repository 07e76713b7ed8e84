// DockerEngine: container lifecycle, inspect, list, wait, top and exec creation.

#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

using namespace std::chrono_literals;

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

// Stop and restart block for up to `t` seconds inside the engine.
std::chrono::milliseconds stopDeadline(std::optional<int> timeout_seconds) {
  return std::chrono::seconds(timeout_seconds.value_or(10) + 30);
}

std::string timeoutParam(std::optional<int> timeout_seconds) {
  return timeout_seconds ? "?t=" + std::to_string(*timeout_seconds) : "";
}

const char* conditionName(runtime::WaitCondition condition) {
  switch (condition) {
    case runtime::WaitCondition::NextExit:
      return "next-exit";
    case runtime::WaitCondition::Removed:
      return "removed";
    case runtime::WaitCondition::NotRunning:
      break;
  }
  return "not-running";
}

std::string resizeQuery(int rows, int columns) {
  return "/resize?h=" + std::to_string(rows) + "&w=" + std::to_string(columns);
}

}  // namespace

Awaitable<std::string> DockerEngine::createContainer(
    const runtime::ContainerCreateRequest& request) {
  std::string path = "/containers/create";
  if (!request.name.empty()) path += "?name=" + urlEncode(request.name);
  if (!request.platform.empty()) {
    path +=
        (request.name.empty() ? "?" : "&") + std::string("platform=") + urlEncode(request.platform);
  }
  auto response = co_await call("POST", path, containerCreateBody(request).dump(),
                                "create container " + quoted(request.name));
  auto json = parseBody(response.body, "container create");
  co_return json.value("Id", std::string());
}

Awaitable<void> DockerEngine::startContainer(const std::string& id) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/start", "",
                "start container " + quoted(id));
}

Awaitable<void> DockerEngine::stopContainer(const std::string& id,
                                            std::optional<int> timeout_seconds) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/stop" + timeoutParam(timeout_seconds),
                "", "stop container " + quoted(id), stopDeadline(timeout_seconds));
}

Awaitable<void> DockerEngine::killContainer(const std::string& id, const std::string& signal) {
  std::string path = "/containers/" + urlEncode(id) + "/kill";
  if (!signal.empty()) path += "?signal=" + urlEncode(signal);
  co_await call("POST", path, "", "kill container " + quoted(id));
}

Awaitable<void> DockerEngine::restartContainer(const std::string& id,
                                               std::optional<int> timeout_seconds) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/restart" + timeoutParam(timeout_seconds),
                "", "restart container " + quoted(id), stopDeadline(timeout_seconds));
}

Awaitable<void> DockerEngine::pauseContainer(const std::string& id) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/pause", "",
                "pause container " + quoted(id));
}

Awaitable<void> DockerEngine::unpauseContainer(const std::string& id) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/unpause", "",
                "unpause container " + quoted(id));
}

Awaitable<void> DockerEngine::removeContainer(const std::string& id,
                                              runtime::RemoveOptions options) {
  std::string path = "/containers/" + urlEncode(id) + "?force=" + (options.force ? "1" : "0") +
                     "&v=" + (options.volumes ? "1" : "0");
  co_await call("DELETE", path, "", "remove container " + quoted(id), 120s);
}

Awaitable<void> DockerEngine::renameContainer(const std::string& id, const std::string& name) {
  co_await call("POST", "/containers/" + urlEncode(id) + "/rename?name=" + urlEncode(name), "",
                "rename container " + quoted(id) + " to " + quoted(name));
}

Awaitable<runtime::ContainerDetails> DockerEngine::inspectContainer(const std::string& id) {
  auto response = co_await call("GET", "/containers/" + urlEncode(id) + "/json", "",
                                "inspect container " + quoted(id));
  co_return parseContainerDetails(parseBody(response.body, "container inspect"));
}

Awaitable<void> DockerEngine::copyToContainer(const std::string& id, const std::string& path,
                                              std::shared_ptr<runtime::BodySource> tar) {
  HttpRequest request;
  request.method = "PUT";
  request.target =
      co_await prefix() + "/containers/" + urlEncode(id) + "/archive?path=" + urlEncode(path);
  request.upload = std::move(tar);
  request.content_type = "application/x-tar";
  request.timeout = 120s;
  const HttpResponse response = co_await http_.send(std::move(request));
  if (response.status >= 200 && response.status < 300) co_return;
  throw engineError(response.status, response.body,
                    "copy files into container " + quoted(id) + " at " + path);
}

Awaitable<std::vector<runtime::ContainerSummary>> DockerEngine::listContainers(
    const runtime::ListFilter& filter) {
  std::string path = std::string("/containers/json?all=") + (filter.all ? "1" : "0");
  if (auto filters = filtersParam(filter); !filters.empty()) path += "&filters=" + filters;
  auto response = co_await call("GET", path, "", "list containers");
  auto json = parseBody(response.body, "container list");
  std::vector<runtime::ContainerSummary> out;
  if (json.is_array()) {
    for (const auto& item : json) out.push_back(parseContainerSummary(item));
  }
  co_return out;
}

Awaitable<runtime::WaitResult> DockerEngine::waitContainer(const std::string& id,
                                                           runtime::WaitCondition condition) {
  // No deadline: a wait lasts as long as the container runs. Callers race a timer.
  auto response = co_await call(
      "POST", "/containers/" + urlEncode(id) + "/wait?condition=" + conditionName(condition), "",
      "wait for container " + quoted(id), 0ms);
  auto json = parseBody(response.body, "container wait");
  runtime::WaitResult result;
  result.status_code = json.value("StatusCode", 0);
  if (json.contains("Error") && json["Error"].is_object()) {
    result.error = json["Error"].value("Message", std::string());
  }
  co_return result;
}

Awaitable<runtime::TopResult> DockerEngine::top(const std::string& id, const std::string& ps_args) {
  std::string path = "/containers/" + urlEncode(id) + "/top";
  if (!ps_args.empty()) path += "?ps_args=" + urlEncode(ps_args);
  auto response = co_await call("GET", path, "", "list processes of " + quoted(id));
  auto json = parseBody(response.body, "container top");
  runtime::TopResult result;
  if (json.contains("Titles") && json["Titles"].is_array()) {
    for (const auto& title : json["Titles"]) result.titles.push_back(title.get<std::string>());
  }
  if (json.contains("Processes") && json["Processes"].is_array()) {
    for (const auto& row : json["Processes"]) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.is_string() ? cell.get<std::string>() : "");
      result.processes.push_back(std::move(cells));
    }
  }
  co_return result;
}

Awaitable<std::string> DockerEngine::createExec(const std::string& container_id,
                                                const runtime::ExecSpec& spec) {
  auto response = co_await call("POST", "/containers/" + urlEncode(container_id) + "/exec",
                                execCreateBody(spec).dump(), "exec in " + quoted(container_id));
  co_return parseBody(response.body, "exec create").value("Id", std::string());
}

Awaitable<runtime::ExecDetails> DockerEngine::inspectExec(const std::string& exec_id) {
  auto response = co_await call("GET", "/exec/" + urlEncode(exec_id) + "/json", "",
                                "inspect exec " + quoted(exec_id));
  co_return parseExecDetails(parseBody(response.body, "exec inspect"));
}

Awaitable<void> DockerEngine::resizeContainer(const std::string& id, int rows, int columns) {
  co_await call("POST", "/containers/" + urlEncode(id) + resizeQuery(rows, columns), "",
                "resize the TTY of " + quoted(id));
}

Awaitable<void> DockerEngine::resizeExec(const std::string& exec_id, int rows, int columns) {
  co_await call("POST", "/exec/" + urlEncode(exec_id) + resizeQuery(rows, columns), "",
                "resize the TTY of exec " + quoted(exec_id));
}

}  // namespace stack::runtime::docker
