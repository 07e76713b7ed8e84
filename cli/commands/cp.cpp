// `stack cp SERVICE:SRC_PATH DEST_PATH|-` and `stack cp SRC_PATH|- SERVICE:DEST_PATH`:
// files between a service's containers and the host, as docker compose cp copies them
// (docker cp's rules for where things land; "-" is a tar archive on stdin or stdout).

#include <unistd.h>

#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/commands/project_scope.hpp"
#include "core/error.hpp"
#include "orchestrator/container_copy.hpp"
#include "orchestrator/copy_paths.hpp"
#include "runtime/docker/docker_container_archive.hpp"

namespace stack::cli {
namespace {

struct CpFlags {
  std::string source;
  std::string destination;
  int index = 0;
  bool all = false;
  bool archive = false;
  bool follow_link = false;
};

int runCp(const GlobalOptions& globals, const CpFlags& flags) {
  if (flags.index < 0) {
    throw Error(ErrorKind::Usage, "invalid --index " + std::to_string(flags.index),
                "give the container number, 1 for the first replica");
  }
  Session session(globals);
  const orchestrator::CopyArgument side = orchestrator::parseCopyArgument(
      orchestrator::parseCopyArgument(flags.source).service.empty() ? flags.destination
                                                                    : flags.source);
  std::vector<std::string> services;
  if (!side.service.empty()) services.push_back(side.service);
  const ProjectScope scope = resolveScope(session, services);
  orchestrator::CopyRequest request;
  request.source = flags.source;
  request.destination = flags.destination;
  request.index = flags.index;
  request.all = flags.all;
  request.archive = flags.archive;
  request.follow_link = flags.follow_link;
  orchestrator::CopyStreams streams;
  streams.write_stdout = [](std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
      throw Error(ErrorKind::Io, "cannot write to standard output");
    }
  };
  streams.read_stdin = [](char* buffer, size_t capacity) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, capacity);
    if (n < 0) throw Error(ErrorKind::Io, "cannot read standard input");
    return static_cast<size_t>(n);
  };
  return session.run([&]() -> boost::asio::awaitable<int> {
    auto& engine = dynamic_cast<runtime::docker::DockerEngine&>(session.engine());
    runtime::docker::DockerContainerArchive archive(session.io().get_executor(), engine);
    co_await orchestrator::copyFiles(engine, archive, session.progress(), scope.name, scope.model(),
                                     request, streams);
    std::fflush(stdout);
    co_return 0;
  });
}

}  // namespace

void addCpCommand(CommandSetup setup) {
  auto flags = std::make_shared<CpFlags>();
  CLI::App* cp = setup.app.add_subcommand(
      "cp", "Copy files/folders between a service container and the local filesystem");
  cp->add_option("source", flags->source, "SERVICE:SRC_PATH, or a local path or - (a tar on stdin)")
      ->required();
  cp->add_option("destination", flags->destination,
                 "SERVICE:DEST_PATH, or a local path or - (a tar on stdout)")
      ->required();
  cp->add_flag("--all", flags->all, "Include containers created by the run command");
  cp->add_flag("-a,--archive", flags->archive, "Archive mode (copy all uid/gid information)");
  cp->add_flag("-L,--follow-link", flags->follow_link, "Always follow symbol link in SRC_PATH");
  cp->add_option("--index", flags->index,
                 "Index of the container if service has multiple replicas");
  auto& globals = setup.globals;
  cp->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runCp(globals, *flags); };
  });
}

}  // namespace stack::cli
