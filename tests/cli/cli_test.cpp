// The `stack` binary's global flags and `config`, run as a user runs them; no engine needed.

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

// A temporary directory named `name` holding `compose.yaml`, removed at the end.
class ProjectDir {
 public:
  ProjectDir(const std::string& name, const std::string& compose_yaml) {
    root_ = fs::temp_directory_path() / ("stack-cli-test-" + std::to_string(::getpid()));
    dir_ = root_ / name;
    fs::create_directories(dir_);
    std::ofstream(dir_ / "compose.yaml") << compose_yaml;
  }
  ~ProjectDir() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path root_;
  fs::path dir_;
};

CommandOptions in(const std::string& dir) {
  CommandOptions options;
  options.cwd = dir;
  options.unset_env = {"COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES"};
  options.timeout = std::chrono::seconds(30);
  return options;
}

}  // namespace

TEST_CASE("stack --version prints what stack version prints") {
  auto flag = runCommand({stackBinary(), "--version"});
  auto command = runCommand({stackBinary(), "version"});
  CHECK(flag.exit_code == 0);
  CHECK(flag.out == std::string("stack version ") + STACK_VERSION + "\n");
  CHECK(flag.out == command.out);
  CHECK(flag.err.empty());
}

TEST_CASE("an unknown global flag is a usage error, not a version banner") {
  auto result = runCommand({stackBinary(), "--versions"});
  CHECK(result.exit_code != 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("stack --help") != std::string::npos);
}

TEST_CASE("config with --project-directory . names the project after the directory") {
  ProjectDir project("My_Shop", "services:\n  web:\n    image: busybox\n");
  for (const std::string& dir : std::vector<std::string>{".", "./", project.dir() + "/"}) {
    auto result =
        runCommand({stackBinary(), "--project-directory", dir, "config"}, in(project.dir()));
    CHECK_MESSAGE(result.exit_code == 0, (dir + ": " + result.err));
    CHECK_MESSAGE(result.out.rfind("name: my_shop\n", 0) == 0, (dir + ": " + result.out));
  }
}

TEST_CASE("config refuses a project directory with no name to derive, saying what to do") {
  ProjectDir project("shop", "services:\n  web:\n    image: busybox\n");
  auto result = runCommand(
      {stackBinary(), "-f", project.dir() + "/compose.yaml", "--project-directory", "/", "config"},
      in(project.dir()));
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("project name must not be empty") != std::string::npos);
  CHECK(result.err.find("-p") != std::string::npos);
}

TEST_CASE("the completion scripts and the man page come from the CLI definitions") {
  auto bash = runCommand({stackBinary(), "completion", "bash"});
  REQUIRE(bash.exit_code == 0);
  for (const char* word : {"complete -F _stack stack", "\" up\")", "--wait", "\" swarm ps\")"})
    CHECK_MESSAGE(bash.out.find(word) != std::string::npos, word);
  auto zsh = runCommand({stackBinary(), "completion", "zsh"});
  CHECK(zsh.out.rfind("#compdef stack\n", 0) == 0);
  auto man = runCommand({stackBinary(), "completion", "man"});
  CHECK(man.out.find(".TH STACK 1") != std::string::npos);
  CHECK(man.out.find(".SS \"stack up") != std::string::npos);
  CHECK(man.out.find("\\-\\-wait") != std::string::npos);
  // the bash script is valid and completes a flag of `up`
  CommandOptions with_script;
  with_script.stdin_data = bash.out;
  auto completed = runCommand({"bash", "-c",
                               "source /dev/stdin; COMP_WORDS=(stack up --wai); COMP_CWORD=2; "
                               "_stack; echo \"${COMPREPLY[*]}\""},
                              with_script);
  CHECK(completed.out == "--wait --wait-timeout\n");
}

TEST_CASE("completion for an unknown shell is a usage error") {
  auto result = runCommand({stackBinary(), "completion", "fish"});
  CHECK(result.exit_code != 0);
  CHECK(result.out.empty());
  CHECK(result.err.find("fish") != std::string::npos);
}
