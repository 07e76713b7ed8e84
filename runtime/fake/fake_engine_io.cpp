// FakeEngine: the calls that stream (logs, attach, exec, events), top and the TTY resizes.
#include "runtime/fake/fake_call.hpp"
#include "runtime/fake/fake_engine.hpp"
#include "runtime/fake/fake_streams.hpp"

namespace stack::runtime::fake {

using detail::enter;
using detail::OutputPlan;

namespace {

std::optional<Timestamp> timeOption(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  const auto parsed = parseTimestamp(text);
  if (!parsed)
    throw Error(ErrorKind::Engine, std::string("invalid value for \"") + name + "\": " + text);
  return parsed;
}

// The entries a reader gets from what the container printed so far.
std::deque<OutputChunk> backlog(const detail::ContainerRecord& c, const OutputPlan& plan,
                                std::optional<Timestamp> since, const std::string& tail) {
  std::vector<const detail::LogEntry*> picked;
  for (const auto& entry : c.output) {
    if (!(entry.kind == OutputKind::Stdout ? plan.stdout : plan.stderr)) continue;
    if (since && entry.time < *since) continue;
    if (plan.until && entry.time > *plan.until) continue;
    picked.push_back(&entry);
  }
  if (!tail.empty() && tail != "all") {
    char* end = nullptr;
    const long count = std::strtol(tail.c_str(), &end, 10);
    if (end && *end == '\0' && count >= 0 && static_cast<size_t>(count) < picked.size())
      picked.erase(picked.begin(), picked.end() - count);
  }
  std::deque<OutputChunk> out;
  for (const auto* entry : picked) out.push_back(detail::toChunk(*entry, plan.timestamps));
  return out;
}

}  // namespace

Awaitable<std::unique_ptr<OutputStream>> FakeEngine::logs(const std::string& id,
                                                          const LogsOptions& options) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::Logs, id);
  auto c = d->requireContainer(id);
  if (!options.stdout && !options.stderr)
    throw Error(ErrorKind::Engine, "Bad parameters: you must choose at least one stream");
  OutputPlan plan;
  plan.stdout = options.stdout;
  plan.stderr = options.stderr;
  plan.timestamps = options.timestamps;
  plan.until = timeOption(options.until, "until");
  plan.backlog = backlog(*c, plan, timeOption(options.since, "since"), options.tail);
  // daemon/logs.go: follow only while the container runs; it ends with that run.
  if (options.follow && c->running() && c->state != detail::RunState::Restarting) {
    plan.follow_run = c->runs_started;
    plan.cursor = c->output.size();
  }
  std::unique_ptr<OutputStream> stream = detail::makeContainerStream(d, c, std::move(plan));
  call.done();
  co_return stream;
}

Awaitable<std::unique_ptr<AttachedStream>> FakeEngine::attach(const std::string& id,
                                                              const AttachOptions& options) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::Attach, id);
  auto c = d->requireContainer(id);
  if (c->state == detail::RunState::Paused)
    throw Error(ErrorKind::Conflict,
                "container " + id + " is paused, unpause the container before attach");
  if (c->state == detail::RunState::Restarting)
    throw Error(ErrorKind::Conflict,
                "container " + id + " is restarting, wait until the container is running");
  OutputPlan plan;
  plan.stdout = options.stdout;
  plan.stderr = options.stderr;
  plan.stdin = options.stdin;
  if (options.logs) plan.backlog = backlog(*c, plan, std::nullopt, "all");
  if (options.stream) {
    // Attached before a start, the stream carries the next run: `docker start -a`.
    plan.follow_run = c->running() ? c->runs_started : c->runs_started + 1;
    plan.only_run = true;
    plan.cursor = c->output.size();
  }
  d->containerEvent(*c, "attach");
  auto stream = detail::makeContainerStream(d, c, std::move(plan));
  call.done();
  co_return stream;
}

Awaitable<TopResult> FakeEngine::top(const std::string& id, const std::string& /*ps_args*/) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::Top, id);
  auto c = d->requireContainer(id);
  if (!c->running()) throw detail::conflict("Container " + c->id + " is not running");
  if (c->state == detail::RunState::Restarting)
    throw detail::conflict("Container " + c->id +
                           " is restarting, wait until the container is running");
  TopResult result;
  result.titles = {"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"};
  std::vector<std::string> argv = c->config.entrypoint.value_or(std::vector<std::string>{});
  const auto cmd = c->config.cmd.value_or(std::vector<std::string>{});
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  result.processes.push_back(
      {"root", std::to_string(c->pid), "1", "0", "00:00", "?", "00:00:00", joinCommand(argv)});
  for (const auto& [exec_id, e] : d->execs)
    if (e->container_id == c->id && e->running)
      result.processes.push_back({"root", std::to_string(e->pid), std::to_string(c->pid), "0",
                                  "00:00", "?", "00:00:00", joinCommand(e->spec.cmd)});
  call.done();
  co_return result;
}

Awaitable<std::string> FakeEngine::createExec(const std::string& container_id,
                                              const ExecSpec& spec) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::CreateExec, container_id);
  std::string id = d->createExec(*d->requireContainer(container_id), spec);
  call.done();
  co_return id;
}

Awaitable<std::unique_ptr<AttachedStream>> FakeEngine::startExec(const std::string& exec_id,
                                                                 const ExecStartOptions& options) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::StartExec, exec_id);
  auto e = d->findExec(exec_id);
  if (!e) throw detail::notFound("exec instance", exec_id);
  d->startExec(*e);
  auto stream = detail::makeExecStream(d, e, options.detach, options.stdin && e->spec.attach_stdin);
  call.done();
  co_return stream;
}

Awaitable<ExecDetails> FakeEngine::inspectExec(const std::string& exec_id) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::InspectExec, exec_id);
  auto e = d->findExec(exec_id);
  if (!e) throw detail::notFound("exec instance", exec_id);
  call.done();
  co_return ExecDetails{e->id, e->running, e->exit_code, e->pid};
}

// Resizes are checked like dockerd checks them; the model keeps no terminal size.
Awaitable<void> FakeEngine::resizeContainer(const std::string& id, int rows, int columns) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ResizeContainer, id);
  auto c = d->requireContainer(id);
  if (!c->running()) throw detail::conflict("Container " + c->id + " is not running");
  if (rows < 0 || columns < 0) throw Error(ErrorKind::Engine, "invalid TTY size");
  call.done();
}

Awaitable<void> FakeEngine::resizeExec(const std::string& exec_id, int rows, int columns) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ResizeExec, exec_id);
  auto e = d->findExec(exec_id);
  if (!e) throw detail::notFound("exec instance", exec_id);
  if (!e->running) throw detail::conflict("Exec " + e->id + " is not running");
  if (rows < 0 || columns < 0) throw Error(ErrorKind::Engine, "invalid TTY size");
  call.done();
}

Awaitable<std::unique_ptr<EventStream>> FakeEngine::events(const EventFilter& filter) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::Events, "");
  const auto since = timeOption(filter.since, "since");
  const auto until = timeOption(filter.until, "until");
  // daemon/events/events.go: replay comes from the last `event_buffer` events only.
  const auto& history = d->eventHistory();
  size_t start = history.size();
  if (since || until) {
    start = history.size() > d->event_buffer ? history.size() - d->event_buffer : 0;
    while (since && start < history.size() && history[start].time_nano < since->count()) ++start;
  }
  auto stream = detail::makeEventStream(d, filter, start, until);
  call.done();
  co_return stream;
}

}  // namespace stack::runtime::fake
