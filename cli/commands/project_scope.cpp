#include "cli/commands/project_scope.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"
#include "orchestrator/project_controller.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace asio = boost::asio;

ProjectScope resolveScope(Session& session, const std::vector<std::string>& services) {
  ProjectScope scope;
  const orchestrator::compose::ProjectIdentity identity = session.identity();
  scope.name = identity.name;
  if (!identity.config_files.empty()) {
    scope.project = session.loadProject(services);
    scope.name = scope.project->name;
  }
  return scope;
}

std::function<void()> lockWaitWarning(Session& session, const std::string& project) {
  return [&session, project] {
    session.progress().warn("waiting for another stack command on project \"" + project + "\"");
  };
}

std::map<std::string, int> parseScale(const std::vector<std::string>& entries,
                                      const orchestrator::compose::Project& project) {
  std::map<std::string, int> out;
  for (const auto& entry : entries) {
    const auto equals = entry.find('=');
    char* end = nullptr;
    const long count =
        equals == std::string::npos ? -1 : std::strtol(entry.c_str() + equals + 1, &end, 10);
    if (equals == std::string::npos || equals + 1 == entry.size() || count < 0 || *end) {
      throw Error(ErrorKind::Usage, "invalid --scale option \"" + entry + "\"",
                  "use --scale SERVICE=NUM");
    }
    const std::string service = entry.substr(0, equals);
    if (!project.services.count(service)) {
      throw Error(ErrorKind::Usage, "no such service: " + service,
                  "`stack config --services` lists the project's services");
    }
    out[service] = static_cast<int>(count);
  }
  return out;
}

int runUpLocked(Session& session, const orchestrator::compose::Project& project,
                const orchestrator::planner::UpOptions& options) {
  orchestrator::ProjectLock lock(project.name, lockWaitWarning(session, project.name));
  return session.run([&]() -> asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.up(project, options);
    co_return 0;
  });
}

bool stdinIsTerminal() {
  return ::isatty(STDIN_FILENO) == 1;
}

asio::awaitable<bool> askYesNo(const std::string& question) {
  std::fputs(question.c_str(), stdout);
  std::fflush(stdout);
  const int fd = ::dup(STDIN_FILENO);
  if (fd < 0) throw Error(ErrorKind::Io, "cannot read the answer from standard input");
  // The descriptor restores blocking mode on the shared file description when it closes.
  asio::posix::stream_descriptor input(co_await asio::this_coro::executor, fd);
  std::string buffer;
  auto [error, length] = co_await asio::async_read_until(input, asio::dynamic_buffer(buffer), '\n',
                                                         asio::as_tuple(asio::use_awaitable));
  std::string answer = buffer.substr(0, error ? buffer.size() : length);
  if (error) std::fputs("\n", stdout);
  std::erase_if(answer, [](unsigned char c) { return std::isspace(c); });
  std::transform(answer.begin(), answer.end(), answer.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  co_return answer == "y" || answer == "yes";
}

}  // namespace stack::cli
