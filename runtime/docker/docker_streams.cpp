// DockerEngine: streaming calls (logs, attach, exec start, build, pull, push, events).
// They are wired to the runtime/decode decoders, which land separately; until then each
// call says so instead of pretending to work.

#include "runtime/docker/docker_engine.hpp"

namespace stack::docker {
namespace {

[[noreturn]] void notYet(const char* call) {
  throw Error(ErrorKind::Internal, std::string(call) + " is not implemented in this build yet");
}

}  // namespace

Awaitable<std::unique_ptr<runtime::OutputStream>> DockerEngine::logs(const std::string&,
                                                                     const runtime::LogsOptions&) {
  notYet("logs");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::AttachedStream>> DockerEngine::attach(
    const std::string&, const runtime::AttachOptions&) {
  notYet("attach");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::AttachedStream>> DockerEngine::startExec(
    const std::string&, const runtime::ExecStartOptions&) {
  notYet("exec start");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::buildImage(runtime::BuildRequest) {
  notYet("build");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::pullImage(
    const std::string&, const std::string&, const runtime::RegistryAuth&) {
  notYet("pull");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::ProgressStream>> DockerEngine::pushImage(
    const std::string&, const std::string&, const runtime::RegistryAuth&) {
  notYet("push");
  co_return nullptr;
}

Awaitable<std::unique_ptr<runtime::EventStream>> DockerEngine::events(const runtime::EventFilter&) {
  notYet("events");
  co_return nullptr;
}

}  // namespace stack::docker
