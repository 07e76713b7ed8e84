// Swarm for integration tests (see swarm_support.hpp).

#include "tests/support/swarm_support.hpp"

#include <curl/curl.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/process.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = "/tmp/stack-swarm-tests";
const fs::path kJoined = kDir / "joined-by-tests";
const fs::path kUsers = kDir / "users";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

std::string swarmState() {
  auto result = runCommand({"docker", "info", "--format", "{{.Swarm.LocalNodeState}}"},
                           {.timeout = std::chrono::seconds(30)});
  return trimmed(result.out);
}

SwarmLock::SwarmLock() {
  std::error_code ignored;
  fs::create_directories(kUsers, ignored);
  fd_ = ::open((kDir / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
  if (fd_ >= 0) ::flock(fd_, LOCK_EX);
}

SwarmLock::~SwarmLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

bool SwarmLock::noUsers() const {
  bool none = true;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(kUsers, ignored)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry.path().filename().c_str()));
    if (pid > 0 && alive(pid)) {
      none = false;
    } else {
      fs::remove(entry.path(), ignored);  // a test that died without unregistering
    }
  }
  return none;
}

SwarmGuard::SwarmGuard() {
  requireEngine();
  SwarmLock lock;
  const std::string state = swarmState();
  if (state != "active") {
    if (state != "inactive") FAIL("the engine's swarm is \"" << state << "\"; fix it by hand");
    auto init = runCommand({"docker", "swarm", "init", "--advertise-addr", "127.0.0.1"},
                           {.timeout = std::chrono::seconds(60)});
    if (init.exit_code != 0) FAIL("docker swarm init failed: " << init.err);
    std::ofstream(kJoined) << "joined by the swarm integration tests\n";
  }
  user_file_ = (kUsers / std::to_string(::getpid())).string();
  std::ofstream(user_file_) << "";
}

SwarmGuard::~SwarmGuard() {
  SwarmLock lock;
  std::error_code ignored;
  fs::remove(user_file_, ignored);
}

std::string leaveSwarmIfUnused() {
  SwarmLock lock;
  if (!lock.noUsers()) return "kept: swarm tests are still running";
  if (!fs::exists(kJoined)) return "kept: the tests did not join this swarm";
  auto leave =
      runCommand({"docker", "swarm", "leave", "--force"}, {.timeout = std::chrono::seconds(60)});
  std::error_code ignored;
  fs::remove(kJoined, ignored);
  if (leave.exit_code != 0) return "docker swarm leave failed: " + leave.err;
  return "left the swarm the tests joined";
}

std::optional<std::string> httpGet(int port, const std::string& path, int attempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CURL* curl = curl_easy_init();
    if (!curl) return std::nullopt;
    std::string body;
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
    auto write = +[](char* data, size_t size, size_t count, void* out) -> size_t {
      static_cast<std::string*>(out)->append(data, size * count);
      return size * count;
    };
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 3000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (code == CURLE_OK && status == 200) return body;
  }
  return std::nullopt;
}

SwarmStackCleanup::~SwarmStackCleanup() {
  const std::string filter = "label=com.docker.stack.namespace=" + stack_;
  runShell("ids=$(docker service ls -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker service rm $ids >/dev/null");
  // The services' containers hold the networks and volumes: wait (bounded) for them.
  for (int i = 0; i < 100; ++i) {
    auto left = runShell("docker ps -aq --filter " + filter);
    if (trimmed(left.out).empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const char* kind : {"secret", "config", "network", "volume"}) {
    runShell(std::string("ids=$(docker ") + kind + " ls -q --filter " + filter +
             "); [ -z \"$ids\" ] || docker " + kind + " rm $ids >/dev/null 2>&1");
  }
}

}  // namespace stack::test
