#pragma once

// Running a program from a test and capturing what it printed: how integration tests
// drive the real `stack` binary (and the docker CLI as an independent observer).

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace stack::test {

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it could not start
  std::string out;
  std::string err;
  bool timed_out = false;
};

struct CommandOptions {
  std::string cwd;                         // empty: inherit
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::vector<std::string> unset_env;      // removed from the environment
  std::chrono::seconds timeout{180};       // the process is killed after this
  std::string stdin_data;
};

// Runs argv[0] (searched in PATH) with the arguments; never throws for a failing command.
CommandResult runCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});

// Runs a shell command line with /bin/sh -c.
CommandResult runShell(const std::string& command_line, const CommandOptions& options = {});

}  // namespace stack::test
