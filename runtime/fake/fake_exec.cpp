// Execs (daemon/exec.go): created only in a running container, started once, answered by
// the exec scripts. dockerd reports a start in a container that stopped meanwhile as
// "No such exec instance".
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {

std::string Daemon::createExec(ContainerRecord& c, const ExecSpec& spec) {
  if (!c.running()) throw conflict("Container " + c.id + " is not running");
  if (c.state == RunState::Paused)
    throw conflict("Container " + c.id + " is paused, unpause the container before exec");
  if (c.state == RunState::Restarting)
    throw conflict("Container " + c.id + " is restarting, wait until the container is running");
  if (spec.cmd.empty()) throw engineError("No exec command specified");
  auto e = std::make_shared<ExecRecord>(executor);
  e->id = newId("exec", c.id);
  e->container_id = c.id;
  e->spec = spec;
  execs.emplace(e->id, e);
  ++c.execs_created;
  containerEvent(c, execAction("exec_create", spec.cmd), {{"execID", e->id}});
  return e->id;
}

void Daemon::startExec(ExecRecord& e) {
  auto c = findContainer(e.container_id);
  if (!c || c->state != RunState::Running) throw notFound("exec instance", e.id);
  if (e.exit_code) throw conflict("Error: Exec command " + e.id + " has already run");
  if (e.running) throw conflict("Error: Exec command " + e.id + " is already running");
  e.running = true;
  e.pid = next_pid_++;
  containerEvent(*c, execAction("exec_start", e.spec.cmd), {{"execID", e.id}});
  const ProbeResult result = runScriptedCommand(*c, e.spec.cmd);
  const Timestamp now = clock.now();
  const bool tty = e.spec.tty;
  auto emitOutput = [&](OutputKind kind, std::string text) {
    if (text.empty()) return;
    if (tty) {  // one terminal: stderr merged, "\n" becomes "\r\n"
      kind = OutputKind::Stdout;
      std::string crlf;
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) crlf += '\r';
        crlf += text[i];
      }
      text = std::move(crlf);
    }
    e.output.push_back(LogEntry{now, kind, std::move(text), 1});
  };
  if (e.spec.attach_stdout) emitOutput(OutputKind::Stdout, result.output);
  if (e.spec.attach_stderr) emitOutput(OutputKind::Stderr, result.error_output);
  e.changed.notify();
  auto finish = [this, weak = std::weak_ptr<ExecRecord>(execs.at(e.id)), code = result.exit_code] {
    auto live = weak.lock();
    if (!live || !live->running) return;
    live->running = false;
    live->exit_code = code;
    live->timer.reset();
    if (auto owner = findContainer(live->container_id))
      containerEvent(*owner, "exec_die",
                     {{"execID", live->id}, {"exitCode", std::to_string(code)}});
    live->changed.notify();
  };
  e.timer = clock.schedule(result.duration, finish);
}

void Daemon::endExecsOf(ContainerRecord& c) {
  for (auto& [id, e] : execs) {
    if (e->container_id != c.id || !e->running) continue;
    if (e->timer) clock.cancel(*e->timer);
    e->timer.reset();
    e->running = false;
    e->exit_code = 137;  // killed with the container
    containerEvent(c, "exec_die", {{"execID", e->id}, {"exitCode", "137"}});
    e->changed.notify();
  }
}

}  // namespace stack::runtime::fake::detail
