// stack::Project: the public API over the loader and the ProjectController. Each call
// converts the public options to the orchestrator's, and runs one engine call.

#include "stack/project.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cstdio>
#include <string_view>

#include "core/error.hpp"
#include "library/engine_call.hpp"
#include "library/project_calls.hpp"
#include "library/project_impl.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/loader.hpp"
#include "orchestrator/project_lock.hpp"

extern char** environ;

namespace stack {
namespace asio = boost::asio;
namespace compose = orchestrator::compose;
namespace planner = orchestrator::planner;
using library::EngineCall;
using library::runEngineCall;

namespace {

StringMap processEnvironment(const StringMap& overrides) {
  StringMap out;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  for (const auto& [key, value] : overrides) out[key] = value;
  return out;
}

}  // namespace

Project::Project(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;
Project::~Project() = default;

Project Project::load(const ProjectOptions& options) {
  compose::LoadOptions load;
  load.files = options.files;
  load.project_name = options.project_name;
  load.profiles = options.profiles;
  load.env_files = options.env_files;
  load.project_directory = options.project_directory;
  if (!options.environment.empty()) load.environment = processEnvironment(options.environment);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->model = std::move(compose::loadProject(load).project);
  for (auto& [_, service] : impl->model.services) {
    for (const auto& [key, value] : options.labels) service.labels[key] = value;
  }
  return Project(std::move(impl));
}

const std::string& Project::name() const {
  return impl_->model.name;
}

std::vector<std::string> Project::services() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : impl_->model.services) out.push_back(name);
  return out;
}

std::string Project::configHash() const {
  // FNV-1a over "service=hash;" in service order: stable across processes and builds.
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&hash](std::string_view text) {
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  };
  for (const auto& [service, config] : orchestrator::desiredState(impl_->model).config_hashes) {
    mix(service);
    mix("=");
    mix(config);
    mix(";");
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

void Project::up(const UpOptions& options) {
  orchestrator::ProjectLock lock(name());
  runEngineCall("up", [&](EngineCall& call) { return library::upOn(call, *impl_, options); });
}

void Project::down(const DownOptions& options) {
  orchestrator::ProjectLock lock(name());
  runEngineCall("down", [&](EngineCall& call) {
    return library::downOn(call, name(), &impl_->model, options);
  });
}

std::vector<ContainerInfo> Project::ps(bool all) const {
  std::vector<ContainerInfo> out;
  runEngineCall("ps", [&](EngineCall& call) -> asio::awaitable<void> {
    out = co_await library::psOn(call, name(), all);
  });
  return out;
}

ExecResult Project::exec(const std::string& service, const std::vector<std::string>& argv,
                         const ExecOptions& options) {
  ExecResult result;
  runEngineCall("exec", [&](EngineCall& call) -> asio::awaitable<void> {
    result = co_await library::execOn(call, name(), service, argv, options);
  });
  return result;
}

std::vector<LogLine> Project::logs(const std::string& service, const LogsOptions& options) const {
  std::vector<LogLine> out;
  runEngineCall("logs", [&](EngineCall& call) -> asio::awaitable<void> {
    out = co_await library::logsOn(call, name(), service, options);
  });
  return out;
}

std::vector<PortBinding> Project::port(const std::string& service, uint16_t container_port,
                                       const std::string& protocol, int index) const {
  return library::bindingsOf(ps(false), service, container_port, protocol, index);
}

Endpoint Project::endpoint(const std::string& service, uint16_t container_port,
                           const std::string& protocol, int index) const {
  return library::endpointOf(port(service, container_port, protocol, index));
}

void Project::waitFor(const std::string& service, const Wait& wait) {
  runEngineCall("wait",
                [&](EngineCall& call) { return library::waitOn(call, *impl_, service, wait); });
}

std::vector<ProjectInfo> findProjects(const std::string& label) {
  std::map<std::string, ProjectInfo> found;
  std::map<std::string, int> lowest;
  runEngineCall("find projects", [&](EngineCall& call) -> asio::awaitable<void> {
    runtime::ListFilter filter;
    filter.labels = {label};
    filter.all = true;
    for (const auto& summary : co_await call.engine.listContainers(filter)) {
      const auto number = summary.labels.find(std::string(compose::labels::kContainerNumber));
      const int container_number =
          number == summary.labels.end() ? 0 : std::atoi(number->second.c_str());
      const auto label = summary.labels.find(std::string(compose::labels::kProject));
      const std::string project = label == summary.labels.end() ? "" : label->second;
      if (project.empty()) continue;
      ProjectInfo& entry = found[project];
      entry.name = project;
      ++entry.containers;
      auto it = lowest.find(project);
      if (it == lowest.end() || container_number < it->second) {
        lowest[project] = container_number;
        entry.labels = summary.labels;
      }
    }
  });
  std::vector<ProjectInfo> out;
  for (auto& [_, entry] : found) out.push_back(std::move(entry));
  return out;
}

void removeProject(const std::string& name, bool volumes) {
  planner::DownOptions down;
  down.remove_volumes = volumes;
  down.remove_orphans = true;
  orchestrator::ProjectLock lock(name);
  runEngineCall("remove project", [&](EngineCall& call) -> asio::awaitable<void> {
    co_await call.controller.down(name, nullptr, down);
  });
}

}  // namespace stack
