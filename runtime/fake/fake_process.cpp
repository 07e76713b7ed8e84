// The scripted main process of a container: start, output, signals, exit, and the
// restart manager (moby restartmanager/: back-off from 100 ms doubling to 1 min, reset
// after a run of 10 s or more).
#include <algorithm>
#include <csignal>
#include <set>

#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

using namespace std::chrono_literals;

// The live record of run `run`, or null once that run is over.
std::shared_ptr<ContainerRecord> liveRun(const std::weak_ptr<ContainerRecord>& weak, uint64_t run) {
  auto c = weak.lock();
  if (!c || !c->process || c->runs_started != run || c->state != RunState::Running) return nullptr;
  return c;
}

}  // namespace

void Daemon::runContainer(ContainerRecord& c, bool manual) {
  const auto script = scripts.findProcess(c.script_keys, static_cast<int>(c.runs_started))
                          .value_or(ProcessScript{});
  try {
    checkNetworking(c);
    if (script.start_error) {
      c.exit_code = 127;
      throw engineError(
          "OCI runtime create failed: container_linux.go:380: starting container "
          "process caused: " +
          *script.start_error + ": unknown");
    }
  } catch (const Error& error) {
    // daemon/start.go: the error is kept and the exit code becomes 128 unless set.
    c.error = error.message();
    if (c.exit_code == 0) c.exit_code = 128;
    c.changed.notify();
    throw;
  }
  if (manual) {  // ResetRestartManager(true)
    c.restart_count = 0;
    c.manually_stopped = false;
    c.restart_cancelled = false;
    c.restart_backoff = 0ns;
  }
  activateNetworking(c);
  c.state = RunState::Running;
  c.pid = next_pid_++;
  c.started_at = clock.now();
  c.exit_code = 0;
  c.error.clear();
  ++c.runs_started;
  mountVolumes(c);
  const auto& hc = c.config.healthcheck;
  if (hc && !hc->test.empty() && hc->test[0] != "NONE") {
    if (!c.health) c.health = HealthState{};
    c.health->status = "starting";
    c.health->failing_streak = 0;
  }
  containerEvent(c, "start");
  c.process = ProcessRun{script, c.started_at, 0ns, 0, {}, std::nullopt};
  startProcessTimers(c);
  startHealthMonitor(c);
  c.changed.notify();
}

void Daemon::startProcessTimers(ContainerRecord& c) {
  ProcessRun& p = *c.process;
  const uint64_t run = c.runs_started;
  std::weak_ptr<ContainerRecord> weak = c.weak_from_this();
  for (size_t i = p.next_output; i < p.script.output.size(); ++i) {
    const auto delay = std::max(p.script.output[i].at - p.ran, nanoseconds(0));
    p.timers.push_back(clock.schedule(delay, [this, weak, run, i] {
      auto live = liveRun(weak, run);
      if (!live) return;
      live->process->next_output = i + 1;
      const OutputLine line = live->process->script.output[i];
      print(*live, line.stream, line.text);
    }));
  }
  if (p.script.exit_after) {
    const auto delay = std::max(*p.script.exit_after - p.ran, nanoseconds(0));
    p.timers.push_back(clock.schedule(delay, [this, weak, run] {
      if (auto live = liveRun(weak, run)) processExited(*live, live->process->script.exit_code);
    }));
  }
}

void Daemon::deliverSignal(ContainerRecord& c, int signal) {
  if (!c.process) return;
  if (signal == SIGKILL) {
    processExited(c, 128 + SIGKILL);
    return;
  }
  // A frozen process cannot act on a signal (dockerd resumes it for terminating ones).
  if (c.state == RunState::Paused) return;
  static const std::set<int> ignored_by_default{SIGCHLD, SIGCONT, SIGURG, SIGWINCH};
  if (ignored_by_default.count(signal)) return;
  const ProcessScript& script = c.process->script;
  for (const auto& name : script.ignored_signals)
    if (parseSignal(name) == signal) return;
  if (c.process->signal_exit) return;  // already shutting down
  const int code = script.signal_exit_code.value_or(128 + signal);
  const uint64_t run = c.runs_started;
  c.process->signal_exit =
      clock.schedule(script.shutdown_delay, [this, weak = c.weak_from_this(), run, code] {
        if (auto live = liveRun(weak, run)) processExited(*live, code);
      });
}

void Daemon::processExited(ContainerRecord& c, int exit_code) {
  if (!c.process) return;
  for (auto id : c.process->timers) clock.cancel(id);
  if (c.process->signal_exit) clock.cancel(*c.process->signal_exit);
  c.process.reset();
  stopHealthMonitor(c);
  endExecsOf(c);
  const Timestamp now = clock.now();
  const bool restart = shouldRestart(c, exit_code, now - c.started_at);
  c.exit_code = exit_code;
  c.finished_at = now;
  c.pid = 0;
  ++c.runs_ended;
  c.state = restart ? RunState::Restarting : RunState::Exited;
  // daemon/monitor.go: die, then Cleanup (network endpoints, volume unmounts).
  containerEvent(c, "die", {{"exitCode", std::to_string(exit_code)}});
  releaseNetworking(c);
  unmountVolumes(c);
  c.changed.notify();
  if (restart)
    scheduleRestart(c);
  else
    autoRemove(c);
}

bool Daemon::shouldRestart(ContainerRecord& c, int exit_code, nanoseconds ran) {
  const RestartPolicySpec& policy = c.host_config.restart_policy;
  if (policy.name.empty() || policy.name == "no" || c.restart_cancelled) return false;
  if (ran >= 10s) c.restart_backoff = 0ns;
  if (c.restart_backoff == 0ns)
    c.restart_backoff = 100ms;
  else if (c.restart_backoff < 1min)
    c.restart_backoff *= 2;
  c.restart_backoff = std::min<nanoseconds>(c.restart_backoff, 1min);
  bool restart = false;
  if (policy.name == "always") {
    restart = true;
  } else if (policy.name == "unless-stopped") {
    restart = !c.manually_stopped;
  } else if (policy.name == "on-failure") {
    const int max = policy.maximum_retry_count;
    restart = (max == 0 || c.restart_count < max) && exit_code != 0;
  }
  if (restart) ++c.restart_count;
  return restart;
}

void Daemon::scheduleRestart(ContainerRecord& c) {
  c.restart_timer = clock.schedule(c.restart_backoff, [this, weak = c.weak_from_this()] {
    auto live = weak.lock();
    if (!live || live->removed || live->state != RunState::Restarting) return;
    live->restart_timer.reset();
    try {
      runContainer(*live, false);
    } catch (const Error&) {
      // monitor.go: a failed restart leaves the container stopped.
      live->state = RunState::Exited;
      live->changed.notify();
      autoRemove(*live);
    }
  });
}

void Daemon::print(ContainerRecord& c, OutputKind kind, const std::string& text) {
  const bool tty = c.config.tty;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto newline = text.find('\n', pos);
    const size_t end = newline == std::string::npos ? text.size() : newline + 1;
    std::string line = text.substr(pos, end - pos);
    // A terminal merges stderr into stdout and turns "\n" into "\r\n".
    if (tty && line.back() == '\n' && (line.size() < 2 || line[line.size() - 2] != '\r'))
      line.insert(line.size() - 1, "\r");
    c.output.push_back(
        LogEntry{clock.now(), tty ? OutputKind::Stdout : kind, std::move(line), c.runs_started});
    pos = end;
  }
  c.changed.notify();
}

void Daemon::writeStdin(ContainerRecord& c, const std::string& data) {
  // Without OpenStdin the engine drops what is written.
  if (!c.config.open_stdin || !c.process || c.state != RunState::Running) return;
  if (c.process->script.echo_stdin) print(c, OutputKind::Stdout, data);
}

void Daemon::closeStdin(ContainerRecord& c) {
  if (!c.config.open_stdin || !c.process || !c.process->script.exit_on_stdin_eof) return;
  const uint64_t run = c.runs_started;
  c.process->timers.push_back(
      clock.schedule(nanoseconds(0), [this, weak = c.weak_from_this(), run] {
        if (auto live = liveRun(weak, run)) processExited(*live, 0);
      }));
}

void Daemon::freezeProcess(ContainerRecord& c) {
  if (!c.process) return;
  for (auto id : c.process->timers) clock.cancel(id);
  c.process->timers.clear();
  if (c.process->signal_exit) clock.cancel(*c.process->signal_exit);
  c.process->signal_exit.reset();
  c.process->ran += clock.now() - c.process->segment_start;
}

void Daemon::resumeProcess(ContainerRecord& c) {
  if (!c.process) return;
  c.process->segment_start = clock.now();
  startProcessTimers(c);
}

}  // namespace stack::runtime::fake::detail
