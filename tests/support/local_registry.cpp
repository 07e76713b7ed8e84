#include "tests/support/local_registry.hpp"

#include <arpa/inet.h>
#include <crypt.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace stack::test {
namespace fs = std::filesystem;

namespace {

const char* kRegistryBinary = "/usr/bin/docker-registry";

// A port the kernel hands out for 127.0.0.1, released again (a small race, acceptable for
// tests: the registry binds it right after).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

// A bcrypt hash for htpasswd, from libcrypt (the registry accepts only bcrypt).
std::string bcrypt(const std::string& password) {
  const char* alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string setting = "$2b$10$";
  for (int i = 0; i < 22; ++i) setting += alphabet[random() % 64];
  crypt_data data{};
  const char* hash = ::crypt_r(password.c_str(), setting.c_str(), &data);
  const bool made = hash != nullptr && hash[0] == '$';
  REQUIRE_MESSAGE(made, "libcrypt cannot make a bcrypt hash");
  return hash;
}

}  // namespace

int LocalRegistry::closedPort() {
  return freePort();
}

LocalRegistry::LocalRegistry(LocalRegistryOptions options) {
  REQUIRE_MESSAGE(::access(kRegistryBinary, X_OK) == 0,
                  "pull and push tests need Debian's docker-registry at "
                      << kRegistryBinary << "; run scripts/setup.sh --test-tools");
  std::string pattern = (fs::temp_directory_path() / "stack-registry-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  dir_ = pattern;
  port_ = freePort();
  std::ofstream config(dir_ + "/config.yml");
  config << "version: 0.1\n"
         << "log:\n  level: error\n  accesslog:\n    disabled: true\n"
         << "storage:\n  filesystem:\n    rootdirectory: " << dir_ << "/data\n"
         << "  delete:\n    enabled: true\n"
         << "http:\n  addr: 127.0.0.1:" << port_ << "\n  secret: stack-test-secret\n";
  if (!options.user.empty()) {
    std::ofstream(dir_ + "/htpasswd") << options.user << ":" << bcrypt(options.password) << "\n";
    config << "auth:\n  htpasswd:\n    realm: stack-test\n    path: " << dir_ << "/htpasswd\n";
  }
  config.close();
  const std::string log = dir_ + "/registry.log";
  // Flushed first: the child's freopen would write the parent's buffered output again.
  std::fflush(stdout);
  std::fflush(stderr);
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    std::FILE* out = std::freopen(log.c_str(), "w", stdout);
    std::FILE* err = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    const std::string config_path = dir_ + "/config.yml";
    ::execl(kRegistryBinary, kRegistryBinary, "serve", config_path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream text(log);
      std::string output((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
      FAIL("docker-registry exited at start: " << output);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      FAIL("docker-registry did not listen on " << host() << " within 15 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

LocalRegistry::~LocalRegistry() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ignored;
  if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

}  // namespace stack::test
