// stack::Project: the public API over the loader and the ProjectController. Each call
// converts the public options to the orchestrator's, and runs one engine call.

#include "stack/project.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cstdio>
#include <string_view>

#include "core/error.hpp"
#include "library/engine_call.hpp"
#include "library/project_impl.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/loader.hpp"
#include "orchestrator/logs/project_logs.hpp"
#include "orchestrator/oneoff/process_io.hpp"
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

std::string labelOf(const StringMap& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

ContainerInfo toInfo(const runtime::ContainerSummary& summary) {
  ContainerInfo info;
  info.id = summary.id;
  info.name = summary.name;
  info.service = labelOf(summary.labels, compose::labels::kService);
  info.number = std::atoi(labelOf(summary.labels, compose::labels::kContainerNumber).c_str());
  info.state = summary.state;
  info.status = summary.status;
  info.labels = summary.labels;
  for (const auto& port : summary.ports) {
    info.ports.push_back({port.ip, port.public_port, port.private_port, port.type});
  }
  return info;
}

// exec without a terminal: no input, output kept in memory.
class CapturedIo final : public orchestrator::oneoff::ProcessIo {
 public:
  void begin(bool) override {}
  void end() override {}
  asio::awaitable<std::optional<std::string>> read() override { co_return std::nullopt; }
  void write(runtime::OutputKind kind, std::string_view data) override {
    (kind == runtime::OutputKind::Stderr ? result.stderr_text : result.stdout_text).append(data);
  }
  std::optional<orchestrator::oneoff::TerminalSize> terminalSize() override { return std::nullopt; }
  asio::awaitable<void> resized() override {
    throw Error(ErrorKind::Internal, "exec without a terminal was asked for its size");
    co_return;
  }
  ExecResult result;
};

class CollectedLogs final : public orchestrator::logs::LogSink {
 public:
  void line(const orchestrator::logs::LogLine& line) override {
    lines.push_back({line.source.service, line.source.container,
                     line.kind == runtime::OutputKind::Stderr, line.text});
  }
  void notice(const orchestrator::logs::LogSource&, const std::string&) override {}
  std::vector<LogLine> lines;
};

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
  planner::UpOptions up;
  up.services = {options.services.begin(), options.services.end()};
  up.remove_orphans = options.remove_orphans;
  up.force_recreate = options.force_recreate;
  up.wait = options.wait;
  up.wait_timeout = options.timeout;
  if (options.build) up.images.build = orchestrator::images::BuildMode::Changed;
  orchestrator::ProjectLock lock(name());
  runEngineCall("up", [&](EngineCall& call) -> asio::awaitable<void> {
    co_await call.controller.up(impl_->model, up);
  });
}

void Project::down(const DownOptions& options) {
  planner::DownOptions down;
  down.remove_volumes = options.volumes;
  down.remove_orphans = options.remove_orphans;
  down.timeout_seconds = options.timeout_seconds;
  orchestrator::ProjectLock lock(name());
  runEngineCall("down", [&](EngineCall& call) -> asio::awaitable<void> {
    co_await call.controller.down(name(), &impl_->model, down);
  });
}

std::vector<ContainerInfo> Project::ps(bool all) const {
  std::vector<ContainerInfo> out;
  runEngineCall("ps", [&](EngineCall& call) -> asio::awaitable<void> {
    for (const auto& summary : co_await call.controller.ps(name(), all)) {
      out.push_back(toInfo(summary));
    }
  });
  std::sort(out.begin(), out.end(),
            [](const ContainerInfo& a, const ContainerInfo& b) { return a.name < b.name; });
  return out;
}

ExecResult Project::exec(const std::string& service, const std::vector<std::string>& argv,
                         const ExecOptions& options) {
  if (argv.empty()) throw Error(ErrorKind::Usage, "exec needs a command");
  orchestrator::oneoff::ExecRequest request;
  request.service = service;
  request.index = options.index;
  request.command = argv;
  request.env = options.env;
  request.user = options.user;
  request.working_dir = options.working_dir;
  request.tty = false;
  request.interactive = false;
  CapturedIo io;
  runEngineCall("exec", [&](EngineCall& call) -> asio::awaitable<void> {
    io.result.exit_code = co_await call.controller.exec(name(), request, io);
  });
  return std::move(io.result);
}

std::vector<LogLine> Project::logs(const std::string& service, const LogsOptions& options) const {
  orchestrator::logs::LogsRequest request;
  if (!service.empty()) request.services = {service};
  request.tail = options.tail;
  request.timestamps = options.timestamps;
  CollectedLogs sink;
  runEngineCall("logs", [&](EngineCall& call) -> asio::awaitable<void> {
    co_await orchestrator::logs::projectLogs(call.engine, name(), request, sink);
  });
  return std::move(sink.lines);
}

std::vector<PortBinding> Project::port(const std::string& service, uint16_t container_port,
                                       const std::string& protocol, int index) const {
  const std::string what = std::to_string(container_port) + "/" + protocol;
  const ContainerInfo* chosen = nullptr;
  const std::vector<ContainerInfo> containers = ps(false);
  for (const auto& container : containers) {
    if (container.service != service || (index > 0 && container.number != index)) continue;
    if (!chosen || container.number < chosen->number) chosen = &container;
  }
  if (!chosen) {
    throw Error(ErrorKind::NotFound, "service \"" + service + "\" has no running container",
                "start it first (up)");
  }
  std::vector<PortBinding> out;
  for (const auto& binding : chosen->ports) {
    if (binding.container_port == container_port && binding.protocol == protocol &&
        binding.host_port != 0) {
      out.push_back(binding);
    }
  }
  if (out.empty()) {
    throw Error(ErrorKind::NotFound, "service \"" + service + "\" does not publish port " + what,
                "add \"" + std::to_string(container_port) +
                    "\" to the service's ports (an "
                    "ephemeral host port is enough)");
  }
  return out;
}

std::vector<ProjectInfo> findProjects(const std::string& label) {
  std::map<std::string, ProjectInfo> found;
  std::map<std::string, int> lowest;
  runEngineCall("find projects", [&](EngineCall& call) -> asio::awaitable<void> {
    runtime::ListFilter filter;
    filter.labels = {label};
    filter.all = true;
    for (const auto& summary : co_await call.engine.listContainers(filter)) {
      const ContainerInfo info = toInfo(summary);
      const std::string project = labelOf(summary.labels, compose::labels::kProject);
      if (project.empty()) continue;
      ProjectInfo& entry = found[project];
      entry.name = project;
      ++entry.containers;
      auto it = lowest.find(project);
      if (it == lowest.end() || info.number < it->second) {
        lowest[project] = info.number;
        entry.labels = info.labels;
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
