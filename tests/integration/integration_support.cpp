#include "tests/integration/integration_support.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

namespace stack::test {
namespace {

// Binds 127.0.0.1:port (0: any); returns the socket, or -1 when the port is taken.
int bindLoopback(uint16_t port, uint16_t* bound = nullptr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  if (bound) {
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    *bound = ntohs(address.sin_port);
  }
  return fd;
}

bool portFree(uint16_t port) {
  const int fd = bindLoopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

size_t countOf(const std::string& text, const std::string& needle) {
  if (needle.empty()) return 1;
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

[[noreturn]] void execStack(const TestProject& project, const std::vector<std::string>& args,
                            int err_fd) {
  ::dup2(err_fd, STDERR_FILENO);
  const int null_fd = ::open("/dev/null", O_RDWR);
  ::dup2(null_fd, STDIN_FILENO);
  ::dup2(null_fd, STDOUT_FILENO);
  if (::chdir(project.dir().c_str()) != 0) ::_exit(127);
  ::setenv("COMPOSE_PROGRESS", "plain", 1);
  std::vector<std::string> argv_text{stackBinary(), "-p", project.name()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

}  // namespace

uint16_t freePort(int count) {
  if (count == 1) {
    uint16_t port = 0;
    const int fd = bindLoopback(0, &port);
    REQUIRE(fd >= 0);
    ::close(fd);
    return port;
  }
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> base(20000, 60000);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const auto first = static_cast<uint16_t>(base(random));
    bool all_free = true;
    for (int i = 0; i < count && all_free; ++i) all_free = portFree(first + i);
    if (all_free) return first;
  }
  FAIL("no " << count << " consecutive free ports on 127.0.0.1");
  return 0;
}

HeldPort::HeldPort() {
  fd_ = bindLoopback(0, &port_);
  REQUIRE(fd_ >= 0);
  REQUIRE(::listen(fd_, 4) == 0);
}

HeldPort::~HeldPort() {
  if (fd_ >= 0) ::close(fd_);
}

nlohmann::json inspect(const std::string& object, const std::string& kind) {
  std::vector<std::string> argv{"docker"};
  if (!kind.empty()) argv.push_back(kind);
  argv.insert(argv.end(), {"inspect", object});
  auto result = runCommand(argv);
  if (result.exit_code != 0) return nullptr;
  auto parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (!parsed.is_array() || parsed.empty()) return nullptr;
  return parsed[0];
}

ExternalObject::ExternalObject(std::string kind, std::string name)
    : kind_(std::move(kind)), name_(std::move(name)) {
  auto created = runCommand({"docker", kind_, "create", name_});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
}

ExternalObject::~ExternalObject() {
  runCommand({"docker", kind_, "rm", name_});
}

KilledRun runAndKill(const TestProject& project, const std::vector<std::string>& args,
                     const KillPoint& point) {
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) execStack(project, args, pipe_fds[1]);
  ::close(pipe_fds[1]);
  KilledRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool open = true;
  while (open && countOf(run.err, point.pattern) < static_cast<size_t>(point.occurrence) &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd fd{pipe_fds[0], POLLIN, 0};
    if (::poll(&fd, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0)
      open = false;
    else
      run.err.append(buffer, static_cast<size_t>(n));
  }
  if (open) {
    std::this_thread::sleep_for(point.delay);
    run.killed = ::kill(pid, SIGKILL) == 0;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(pipe_fds[0]);
  if (WIFSIGNALED(status)) {
    run.exit_code = 128 + WTERMSIG(status);
  } else {
    run.exit_code = WEXITSTATUS(status);
    run.killed = false;  // it had already finished when the signal came
  }
  return run;
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace stack::test
