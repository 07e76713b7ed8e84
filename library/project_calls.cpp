// The coroutine operations behind stack::Project (project_calls.hpp).

#include "library/project_calls.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/logs/project_logs.hpp"
#include "orchestrator/oneoff/process_io.hpp"

namespace stack::library {
namespace asio = boost::asio;
namespace compose = orchestrator::compose;
namespace planner = orchestrator::planner;

namespace {

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

asio::awaitable<void> upOn(EngineCall& call, const Project::Impl& project,
                           const UpOptions& options) {
  planner::UpOptions up;
  up.services = {options.services.begin(), options.services.end()};
  up.remove_orphans = options.remove_orphans;
  up.force_recreate = options.force_recreate;
  up.wait = options.wait;
  up.wait_timeout = options.timeout;
  if (options.build) up.images.build = orchestrator::images::BuildMode::Changed;
  co_await call.controller.up(project.model, up);
}

asio::awaitable<void> downOn(EngineCall& call, const std::string& project,
                             const compose::Project* model, const DownOptions& options) {
  planner::DownOptions down;
  down.remove_volumes = options.volumes;
  down.remove_orphans = options.remove_orphans;
  down.timeout_seconds = options.timeout_seconds;
  co_await call.controller.down(project, model, down);
}

asio::awaitable<std::vector<ContainerInfo>> psOn(EngineCall& call, const std::string& project,
                                                 bool all) {
  std::vector<ContainerInfo> out;
  const auto summaries = co_await call.controller.ps(project, all);
  for (const auto& summary : summaries) {
    out.push_back(toInfo(summary));
  }
  std::sort(out.begin(), out.end(),
            [](const ContainerInfo& a, const ContainerInfo& b) { return a.name < b.name; });
  co_return out;
}

asio::awaitable<ExecResult> execOn(EngineCall& call, const std::string& project,
                                   const std::string& service, const std::vector<std::string>& argv,
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
  io.result.exit_code = co_await call.controller.exec(project, request, io);
  co_return std::move(io.result);
}

asio::awaitable<std::vector<LogLine>> logsOn(EngineCall& call, const std::string& project,
                                             const std::string& service,
                                             const LogsOptions& options) {
  orchestrator::logs::LogsRequest request;
  if (!service.empty()) request.services = {service};
  request.tail = options.tail;
  request.timestamps = options.timestamps;
  CollectedLogs sink;
  co_await orchestrator::logs::projectLogs(call.engine, project, request, sink);
  co_return std::move(sink.lines);
}

std::vector<PortBinding> bindingsOf(const std::vector<ContainerInfo>& containers,
                                    const std::string& service, uint16_t container_port,
                                    const std::string& protocol, int index) {
  const std::string what = std::to_string(container_port) + "/" + protocol;
  const ContainerInfo* chosen = nullptr;
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
                    "\" to the service's ports (an ephemeral host port is enough)");
  }
  return out;
}

asio::awaitable<std::unique_ptr<orchestrator::ProjectLock>> lockProject(
    const std::string& project) {
  asio::steady_timer retry(co_await asio::this_coro::executor);
  while (true) {
    if (auto lock = orchestrator::ProjectLock::tryAcquire(project)) co_return lock;
    retry.expires_after(std::chrono::milliseconds(100));
    co_await retry.async_wait(asio::use_awaitable);
  }
}

}  // namespace stack::library
