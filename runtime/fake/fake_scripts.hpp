#pragma once

// What a test tells the FakeEngine about the world it models: how the "processes" inside
// containers behave, which images a registry offers, how builds go, and which engine
// calls fail or lag. None of this is part of the Engine interface; the orchestrator never
// sees it. All durations are model time (see fake_clock.hpp).
//
// Scripts are looked up per container by, in order: the container's name, the image
// reference it was created from ("web:latest"; a missing tag means "latest"), the image id,
// then the default ("" target). Without any script a process runs until it is stopped,
// prints nothing, and passes every health probe and exec.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "runtime/engine_types.hpp"

namespace stack::runtime::fake {

using std::chrono::nanoseconds;

// ---------------------------------------------------------------------------------------
// Processes

// One write of the process to stdout or stderr, `at` after it started (paused time does
// not count). Text is split into lines the way the engine's log driver stores them.
struct OutputLine {
  nanoseconds at{0};
  OutputKind stream = OutputKind::Stdout;
  std::string text;
};

// What one health probe (or exec) returns. A probe that takes longer than the container's
// healthcheck timeout fails with exit code -1, as dockerd reports it.
struct ProbeResult {
  int exit_code = 0;
  std::string output;  // stdout
  nanoseconds duration{0};
  std::string error_output;  // stderr (a health log shows both)
};

// The health of a process over time. `probe` is called for every probe with its 0-based
// number within the current run and the running time since the process started.
struct HealthScript {
  std::function<ProbeResult(int probe, nanoseconds since_start)> probe;

  static HealthScript healthy();
  // The first `failing` probes fail, every later one passes.
  static HealthScript healthyAfterProbes(int failing);
  // Probes fail until the process has run for `delay`.
  static HealthScript healthyAfter(nanoseconds delay);
  static HealthScript unhealthy(std::string output = "unhealthy\n");
  // Probe n passes when pattern[n % size] is true: flapping health.
  static HealthScript cycle(std::vector<bool> pattern);
  // Every probe runs `duration` (longer than the timeout: a hanging probe).
  static HealthScript slow(nanoseconds duration, int exit_code = 0);
};

// An exec (and a health probe whose command matches) returns `results[n]` on its n-th
// matching call in one container, repeating the last one. An empty `cmd` matches any
// command. Otherwise it matches the exec's argv exactly, or the command string of a
// CMD-SHELL healthcheck / `sh -c` exec.
struct ExecScript {
  std::vector<std::string> cmd;
  std::vector<ProbeResult> results;
};

// The main process of one run of a container.
struct ProcessScript {
  // nullopt: runs until a signal ends it. Otherwise exits by itself after this long.
  std::optional<nanoseconds> exit_after;
  int exit_code = 0;
  std::vector<OutputLine> output;
  // Signals the process ignores. "SIGTERM" here makes `stop` wait out its timeout and end
  // the process with SIGKILL (exit code 137). SIGKILL cannot be ignored.
  std::vector<std::string> ignored_signals;
  // Time from a handled signal to the exit (a graceful shutdown).
  nanoseconds shutdown_delay{0};
  // Exit code after a handled signal; default 128 + the signal number (143 for SIGTERM).
  std::optional<int> signal_exit_code;
  // With OpenStdin: echo what arrives on stdin to stdout (like `cat`), and exit 0 when
  // stdin is closed.
  bool echo_stdin = false;
  bool exit_on_stdin_eof = false;
  // Health over time, for containers with a healthcheck. nullopt: probes are answered by
  // the exec scripts, else pass.
  std::optional<HealthScript> health;
  // Start fails like an OCI runtime error (e.g. an entrypoint that does not exist):
  // start throws kind Engine with this message and the exit code becomes 127.
  std::optional<std::string> start_error;
};

// ---------------------------------------------------------------------------------------
// Images, registries and builds

// A local image a test preloads (as `docker load` would).
struct FakeImage {
  std::vector<std::string> tags;  // "app:1"; a missing tag is "latest"
  ContainerConfig config;         // defaults for create: Cmd, Entrypoint, Env, Healthcheck...
  int64_t size = 5 * 1024 * 1024;
  std::string os = "linux";
  std::string architecture = "amd64";
};

// An image a registry offers for pull.
struct RegistryImage {
  ContainerConfig config;
  int layers = 2;
  int64_t layer_size = 1024 * 1024;
};

// How builds go. Keyed by the build's first tag, or "" for every build.
struct BuildScript {
  // When set, the build fails at this 1-based step (0: the last step) with an in-band
  // error; next() then throws kind Build.
  std::optional<int> fail_at_step;
  // The in-band error; empty gives dockerd's text for a failing RUN.
  std::string fail_message;
  int fail_code = 1;
  // How long each step takes.
  nanoseconds step_duration{0};
  // Lines a RUN step prints.
  std::vector<std::string> run_output;
};

// ---------------------------------------------------------------------------------------
// Engine calls: names, failure injection, the call log

enum class Method {
  Ping,
  Version,
  CreateContainer,
  StartContainer,
  StopContainer,
  KillContainer,
  RestartContainer,
  PauseContainer,
  UnpauseContainer,
  RemoveContainer,
  RenameContainer,
  CopyToContainer,
  InspectContainer,
  ListContainers,
  WaitContainer,
  Logs,
  Attach,
  Top,
  ResizeContainer,
  CreateExec,
  StartExec,
  InspectExec,
  ResizeExec,
  BuildImage,
  PullImage,
  PushImage,
  InspectImage,
  ListImages,
  TagImage,
  RemoveImage,
  CreateNetwork,
  ConnectNetwork,
  DisconnectNetwork,
  InspectNetwork,
  ListNetworks,
  RemoveNetwork,
  CreateVolume,
  InspectVolume,
  ListVolumes,
  RemoveVolume,
  Events,
};

// "createContainer", as the Engine interface spells it.
const char* methodName(Method method);

// A scripted misbehaviour of the next `times` calls of `method` whose subject matches.
struct Fault {
  Method method = Method::Ping;
  // Empty matches every call. Otherwise the call's subject: the id or name it was given,
  // or the id or name of the object that resolves to (container, network, image, volume;
  // for exec calls also the exec's container).
  std::string match;
  int times = 1;  // negative: every matching call from now on
  // The call waits this long (model time) before doing anything.
  nanoseconds delay{0};
  // The call fails with this kind and message (after the delay).
  std::optional<ErrorKind> error;
  std::string message = "injected failure";
  // The engine carries the call out and *then* the caller sees the error, like a
  // response lost after the engine acted. Useful for convergence tests.
  bool after_effect = false;
};

// One call the engine received.
struct CallRecord {
  Method method;
  std::string subject;               // the id, name or reference as the caller passed it
  std::string name;                  // the name of the object it resolved to, else the subject
  std::chrono::nanoseconds time{0};  // model time of the call
  // "startContainer web"
  std::string describe() const;
};

}  // namespace stack::runtime::fake
