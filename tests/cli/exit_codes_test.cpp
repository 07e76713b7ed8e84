// docs/EXIT_CODES.md, the rows that need no engine, run row by row against the `stack`
// binary: what docker compose v2 exits with (1 for every failure of its own, 0 for no
// arguments). The rows that need dockerd are in tests/integration/exit_codes_test.cpp.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/test_project.hpp"

namespace fs = std::filesystem;
using stack::test::CommandOptions;
using stack::test::runCommand;
using stack::test::stackBinary;

namespace {

// A fresh, empty temporary directory, removed at the end.
class Scratch {
 public:
  Scratch() {
    dir_ = fs::temp_directory_path() / ("stack-exit-codes-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

struct Row {
  std::string situation;
  std::vector<std::string> args;
  int exit_code;
  std::string in_err;  // a phrase the message must hold; empty: stderr must be empty
};

void checkRows(const Scratch& scratch, const std::vector<Row>& rows) {
  CommandOptions options;
  options.cwd = scratch.dir();
  options.unset_env = {"COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES",
                       "COMPOSE_PROGRESS"};
  options.timeout = std::chrono::seconds(30);
  for (const Row& row : rows) {
    std::vector<std::string> argv{stackBinary()};
    argv.insert(argv.end(), row.args.begin(), row.args.end());
    auto result = runCommand(argv, options);
    CHECK_MESSAGE(result.exit_code == row.exit_code,
                  row.situation << ": exit " << result.exit_code << ", stderr: " << result.err);
    if (row.in_err.empty()) {
      CHECK_MESSAGE(result.err.empty(), row.situation << ": " << result.err);
    } else {
      CHECK_MESSAGE(result.err.find(row.in_err) != std::string::npos,
                    row.situation << ": " << result.err);
    }
  }
}

}  // namespace

TEST_CASE("exit codes: no arguments and help exit 0 and print the help") {
  Scratch scratch;
  checkRows(scratch, {{"no arguments", {}, 0, ""},
                      {"global flags only", {"--log-level", "warn"}, 0, ""},
                      {"--help", {"--help"}, 0, ""},
                      {"up --help", {"up", "--help"}, 0, ""}});
  auto bare = runCommand({stackBinary()});
  CHECK(bare.out.find("Usage:") != std::string::npos);
  CHECK(bare.out.find("up") != std::string::npos);
  CHECK(bare.out == runCommand({stackBinary(), "--help"}).out);
}

TEST_CASE("exit codes: usage errors exit 1, as compose's flag errors") {
  Scratch scratch;
  scratch.write("compose.yaml", "services:\n  web:\n    image: busybox\n");
  checkRows(
      scratch,
      {{"unknown flag", {"up", "--bogus"}, 1, "--bogus"},
       {"unknown command", {"bogus"}, 1, "bogus"},
       {"unknown global flag", {"--versions"}, 1, "stack --help"},
       {"bad flag value", {"--log-level", "loud", "config"}, 1, "unknown log level"},
       {"conflicting flags", {"up", "-d", "--abort-on-container-exit"}, 1, "cannot be combined"},
       {"a valid command line", {"config", "--services"}, 0, ""}});
}

TEST_CASE("exit codes: a missing or invalid compose file exits 1, a valid one 0") {
  Scratch scratch;
  checkRows(scratch,
            {{"no compose file in the directory", {"config"}, 1, "no configuration file"},
             {"-f names a missing file", {"-f", "missing.yaml", "config"}, 1, "missing.yaml"}});
  scratch.write("compose.yaml", "services: [\n");
  checkRows(scratch, {{"invalid YAML", {"config"}, 1, "compose.yaml"}});
  scratch.write("compose.yaml", "services:\n  web:\n    image: busybox\n    ports: 80\n");
  checkRows(scratch, {{"a key of the wrong type", {"config"}, 1, "ports"}});
  scratch.write("compose.yaml", "services:\n  web:\n    image: busybox\n");
  checkRows(scratch, {{"a valid file", {"config", "-q"}, 0, ""}});
}

TEST_CASE("exit codes: an unknown service exits 1, a known one 0") {
  Scratch scratch;
  scratch.write("compose.yaml", "services:\n  web:\n    image: busybox\n");
  checkRows(scratch, {{"unknown service", {"config", "nosuch"}, 1, "nosuch"},
                      {"known service", {"config", "-q", "web"}, 0, ""}});
}
