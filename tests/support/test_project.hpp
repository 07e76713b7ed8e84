#pragma once

// A throwaway compose project for integration tests: a unique project name, a temporary
// directory holding its files, and a cleanup that runs whether the test passed or failed:
// `stack down -v`, then a sweep with the docker CLI of anything still labelled with the
// project (containers, networks, volumes) and of images named after it.

#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace stack::test {

// The `stack` binary under test (set by CMake).
std::string stackBinary();

// Fails the current test with a clear reason when no engine answers. Integration tests
// call it first: without an engine they fail, never pass silently.
void requireEngine();

// The offline base image every integration test uses (scripts/setup.sh builds it).
inline constexpr const char* kTestImage = "stack-test/busybox:latest";

class TestProject {
 public:
  // Writes `compose_yaml` as compose.yaml in a fresh directory.
  explicit TestProject(const std::string& compose_yaml, const std::string& prefix = "it");
  ~TestProject();
  TestProject(const TestProject&) = delete;
  TestProject& operator=(const TestProject&) = delete;

  const std::string& name() const { return name_; }
  const std::string& dir() const { return dir_; }

  // Writes a file relative to the project directory, creating parent directories.
  void writeFile(const std::string& relative_path, const std::string& content) const;

  // Runs `stack -p <name> <args...>` in the project directory.
  CommandResult stack(const std::vector<std::string>& args, CommandOptions options = {}) const;
  // Runs `docker <args...>`: the independent observer of what stack did.
  CommandResult docker(const std::vector<std::string>& args) const;

  // IDs of every container labelled with the project, running or not, sorted.
  std::vector<std::string> containerIds() const;
  // Names of the project's containers, sorted.
  std::vector<std::string> containerNames() const;
  // A container label, by container name.
  std::string containerLabel(const std::string& container, const std::string& label) const;

 private:
  std::string name_;
  std::string dir_;
};

// Splits output into non-empty lines.
std::vector<std::string> lines(const std::string& text);

}  // namespace stack::test
