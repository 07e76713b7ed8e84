#include "orchestrator/logs/attached_session.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/policies.hpp"
#include "runtime/container_phase.hpp"

namespace stack::orchestrator::logs {
namespace asio = boost::asio;

namespace {

constexpr auto kCrashLoopWindow = std::chrono::minutes(1);
constexpr size_t kCrashLoopRestarts = 3;

bool exited(const supervisor::ContainerStatus& status) {
  return runtime::hasExited(status.state);
}

}  // namespace

AttachedSession::AttachedSession(runtime::Engine& engine, const compose::Project& project,
                                 supervisor::Supervisor& supervisor, const AttachRequest& request,
                                 LogSink& sink, TaskGroup& pumps)
    : engine_(engine),
      project_(project),
      supervisor_(supervisor),
      request_(request),
      sink_(sink),
      pumps_(pumps) {}

bool AttachedSession::wants(const std::string& service) const {
  if (request_.no_attach.count(service)) return false;
  return request_.attach.empty() || request_.attach.count(service);
}

LogSource AttachedSession::sourceOf(const std::string& container,
                                    const std::string& service) const {
  LogSource source{container, service, 0};
  const std::string prefix = project_.name + "-" + service + "-";
  if (container.rfind(prefix, 0) == 0) {
    const std::string digits = container.substr(prefix.size());
    std::from_chars(digits.data(), digits.data() + digits.size(), source.number);
  }
  return source;
}

void AttachedSession::stream(const std::string& container,
                             std::unique_ptr<runtime::OutputStream> output) {
  auto& followed = followed_[container];
  followed.streaming = true;
  auto pump = [](AttachedSession& self, std::string name,
                 std::unique_ptr<runtime::OutputStream> output) -> asio::awaitable<void> {
    try {
      co_await pumpLines(*output, self.followed_[name].source, self.sink_);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;
      log::get("supervisor")->debug("output of {} ended: {}", name, error.what());
    }
    self.followed_[name].streaming = false;
    self.supervisor_.state().changed().notify();
  };
  pumps_.spawn(pump(*this, container, std::move(output)));
}

asio::awaitable<void> AttachedSession::attachTo(std::string container, std::string service) {
  auto& followed = followed_[container];
  followed.source = sourceOf(container, service);
  runtime::AttachOptions options;
  options.tty = project_.services.count(service) && project_.services.at(service).tty;
  auto output = co_await engine_.attach(container, options);
  stream(container, std::move(output));
}

asio::awaitable<void> AttachedSession::beforeStart(const planner::Step& step) {
  if (!wants(step.service)) co_return;
  co_await attachTo(step.target, step.service);
}

asio::awaitable<void> AttachedSession::attachRunning() {
  co_await supervisor_.watch();
  for (const auto& [name, _] : project_.services) {
    if (!wants(name)) continue;
    for (const auto* status : supervisor_.state().serviceContainers(name)) {
      if (status->state != "running" || followed_[status->name].streaming) continue;
      co_await attachTo(status->name, name);
    }
  }
}

asio::awaitable<void> AttachedSession::refollow(std::string id, std::string container,
                                                std::string service, std::string since) {
  runtime::LogsOptions options;
  options.follow = true;
  options.since = since;
  options.tty = project_.services.count(service) && project_.services.at(service).tty;
  try {
    auto output = co_await engine_.logs(id, options);
    stream(container, std::move(output));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::Cancelled) throw;
    log::get("supervisor")->debug("cannot follow {} again: {}", container, error.what());
    followed_[container].streaming = false;
    supervisor_.state().changed().notify();
  }
}

bool AttachedSession::willRestart(const supervisor::ContainerStatus& status) const {
  auto it = project_.services.find(status.service);
  if (it == project_.services.end()) return false;
  return compose::restartPolicyOf(it->second)
      .restartsAfter(status.exit_code.value_or(0), status.restart_count);
}

std::optional<AttachedResult> AttachedSession::observe(const supervisor::ContainerStatus& status) {
  auto& followed = followed_[status.name];
  if (followed.source.container.empty()) followed.source = sourceOf(status.name, status.service);
  if (status.state == "running" && followed.exit_reported && !followed.streaming &&
      status.inspected) {
    // Restarted by its restart policy: follow it again, from the restart on.
    followed.exit_reported = false;
    const auto now = std::chrono::steady_clock::now();
    followed.restarts.push_back(now);
    while (!followed.restarts.empty() && now - followed.restarts.front() > kCrashLoopWindow) {
      followed.restarts.pop_front();
    }
    if (followed.restarts.size() >= kCrashLoopRestarts && !followed.crash_loop_reported) {
      followed.crash_loop_reported = true;
      sink_.notice(followed.source, "is in a crash loop: restarted " +
                                        std::to_string(followed.restarts.size()) +
                                        " times in the last minute");
    } else if (followed.restarts.size() < kCrashLoopRestarts) {
      followed.crash_loop_reported = false;
      sink_.notice(followed.source, "restarted");
    }
    followed.streaming = true;  // until refollow() has its stream
    pumps_.spawn(refollow(status.id, status.name, status.service, status.started_at));
    return std::nullopt;
  }
  if (!exited(status) || followed.exit_reported) return std::nullopt;
  followed.exit_reported = true;
  const int code = status.exit_code.value_or(0);
  const bool restarts = willRestart(status);
  sink_.notice(followed.source,
               "exited with code " + std::to_string(code) + (restarts ? " (restarting)" : ""));
  const bool abort = !request_.exit_code_from.empty() || request_.abort_on_exit ||
                     (request_.abort_on_failure && code != 0);
  if (!abort || restarts) return std::nullopt;
  return AttachedResult{code, true, status.name};
}

asio::awaitable<AttachedResult> AttachedSession::follow() {
  co_await supervisor_.watch();
  auto& state = supervisor_.state();
  while (true) {
    bool any = false;
    bool done = true;
    for (const auto& [name, _] : project_.services) {
      if (!wants(name)) continue;
      for (const auto* status : state.serviceContainers(name)) {
        any = true;
        if (auto result = observe(*status)) co_return *result;
        const bool finished = exited(*status) && !willRestart(*status);
        if (!finished || followed_[status->name].streaming) done = false;
      }
    }
    if (!any || done) co_return AttachedResult{};
    co_await state.changed().wait();
  }
}

}  // namespace stack::orchestrator::logs
