// Health checks as dockerd 20.10 runs them (daemon/health.go): the first probe one
// interval after start, the next one an interval after the previous one finished; each
// probe is an exec (exec_create/exec_start/exec_die events); failures inside the start
// period do not count; `Retries` consecutive failures make the container unhealthy; the
// log keeps 5 entries of at most 4096 bytes; health_status events only on transitions.
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

using namespace std::chrono_literals;

constexpr size_t kMaxLogEntries = 5;
constexpr size_t kMaxOutput = 4096;

bool hasProbe(const ContainerRecord& c) {
  const auto& hc = c.config.healthcheck;
  return hc && !hc->test.empty() && (hc->test[0] == "CMD" || hc->test[0] == "CMD-SHELL");
}

nanoseconds orDefault(nanoseconds value, nanoseconds fallback) {
  return value.count() == 0 ? fallback : value;
}

std::vector<std::string> probeCommand(const HealthConfig& hc) {
  std::vector<std::string> args(hc.test.begin() + 1, hc.test.end());
  if (hc.test[0] == "CMD-SHELL") return {"/bin/sh", "-c", joinCommand(args)};
  return args;
}

std::string capOutput(std::string output) {
  if (output.size() <= kMaxOutput) return output;
  output.resize(kMaxOutput);
  return output + "...";
}

}  // namespace

void Daemon::startHealthMonitor(ContainerRecord& c) {
  if (!hasProbe(c) || c.state != RunState::Running) return;
  stopHealthMonitor(c);
  scheduleProbe(c);
}

void Daemon::stopHealthMonitor(ContainerRecord& c) {
  if (c.health_run.timer) clock.cancel(*c.health_run.timer);
  c.health_run.timer.reset();
}

void Daemon::scheduleProbe(ContainerRecord& c) {
  const nanoseconds interval = orDefault(c.config.healthcheck->interval, 30s);
  const uint64_t run = c.runs_started;
  c.health_run.timer =
      clock.schedule(interval, [this, weak = c.weak_from_this(), run] { runProbe(weak, run); });
}

void Daemon::runProbe(std::weak_ptr<ContainerRecord> weak, uint64_t run) {
  auto c = weak.lock();
  if (!c || c->runs_started != run || c->state != RunState::Running || !c->process) return;
  if (run != c->health_run.run) c->health_run = HealthRun{0, std::nullopt, run};
  const int probe = c->health_run.probes++;
  const HealthConfig& hc = *c->config.healthcheck;
  const auto cmd = probeCommand(hc);
  const Timestamp start = clock.now();
  ++c->execs_created;
  const std::string exec_id = newId("exec", c->id);
  if (health_exec_events) {
    containerEvent(*c, execAction("exec_create", cmd), {{"execID", exec_id}});
    containerEvent(*c, execAction("exec_start", cmd), {{"execID", exec_id}});
  }
  ProbeResult result;
  if (c->process->script.health)
    result = c->process->script.health->probe(probe, start - c->started_at);
  else
    result = runScriptedCommand(*c, cmd);
  const nanoseconds timeout = orDefault(hc.timeout, 30s);
  if (result.duration >= timeout) {
    result =
        ProbeResult{-1, "Health check exceeded timeout (" + goDuration(timeout) + ")", timeout};
  }
  c->health_run.timer = clock.schedule(result.duration, [this, weak, run, result, start, exec_id] {
    auto live = weak.lock();
    if (!live || live->runs_started != run || live->state != RunState::Running) return;
    if (health_exec_events)
      containerEvent(*live, "exec_die",
                     {{"execID", exec_id}, {"exitCode", std::to_string(result.exit_code)}});
    finishProbe(*live, result, start);
    scheduleProbe(*live);
  });
}

void Daemon::finishProbe(ContainerRecord& c, const ProbeResult& result, Timestamp start) {
  HealthState& h = *c.health;
  const std::string old_status = h.status;
  h.log.push_back(HealthLogEntry{rfc3339Nano(start), rfc3339Nano(clock.now()), result.exit_code,
                                 capOutput(result.output + result.error_output)});
  if (h.log.size() > kMaxLogEntries) h.log.erase(h.log.begin());
  const HealthConfig& hc = *c.config.healthcheck;
  if (result.exit_code == 0) {
    h.failing_streak = 0;
    h.status = "healthy";
  } else {
    const bool in_start_period = h.status == "starting" && start - c.started_at < hc.start_period;
    if (!in_start_period) {
      ++h.failing_streak;
      const int retries = hc.retries <= 0 ? 3 : hc.retries;
      if (h.failing_streak >= retries) h.status = "unhealthy";
    }
  }
  if (h.status != old_status) containerEvent(c, "health_status: " + h.status);
  c.changed.notify();
}

ProbeResult Daemon::runScriptedCommand(ContainerRecord& c, const std::vector<std::string>& cmd) {
  const auto match = scripts.findExec(c.script_keys, cmd);
  if (!match) return ProbeResult{};
  const int n = c.exec_calls[match->key]++;
  const auto& results = match->script->results;
  return results[std::min(static_cast<size_t>(n), results.size() - 1)];
}

}  // namespace stack::runtime::fake::detail
