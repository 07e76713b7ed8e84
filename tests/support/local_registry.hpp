#pragma once

// A throwaway image registry on loopback for pull and push tests: Debian's
// docker-registry (distribution 2.8) listening on 127.0.0.1 at a free port, with its
// storage and config in a temporary directory, optionally behind htpasswd basic auth.
// dockerd treats 127.0.0.0/8 registries as insecure (plain HTTP) by default, so no TLS
// is needed. The registry is stopped (by its pid) and its files removed when the object
// goes away, whether the test passed or failed.

#include <sys/types.h>

#include <string>

namespace stack::test {

struct LocalRegistryOptions {
  std::string user;  // non-empty: require basic auth with this user and password
  std::string password;
};

class LocalRegistry {
 public:
  // Fails the current test with a clear message when the registry binary is missing
  // (scripts/setup.sh --test-tools installs it) or does not answer within 15 s.
  explicit LocalRegistry(LocalRegistryOptions options = {});
  ~LocalRegistry();
  LocalRegistry(const LocalRegistry&) = delete;
  LocalRegistry& operator=(const LocalRegistry&) = delete;

  // "127.0.0.1:PORT": the registry part of image references.
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  // A loopback port nothing listens on (for "unreachable registry" tests).
  static int closedPort();

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace stack::test
