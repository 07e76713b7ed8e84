// `stack config` flags as docker compose's: `$$` kept escaped in the rendered output,
// --variables, --environment, --no-consistency, --no-normalize, --no-path-resolution, and
// a file without services (valid for config, nothing to run for up). No engine needed.

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
using stack::test::CommandResult;
using stack::test::runCommand;
using stack::test::stackBinary;

namespace {

class ConfigDir {
 public:
  explicit ConfigDir(const std::string& compose_yaml, const std::string& name = "a") {
    dir_ = fs::temp_directory_path() /
           ("stack-config-flags-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "compose.yaml") << compose_yaml;
  }
  ~ConfigDir() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  CommandResult stack(const std::vector<std::string>& args,
                      std::map<std::string, std::string> env = {}) const {
    CommandOptions options;
    options.cwd = dir_.string();
    options.env = std::move(env);
    options.unset_env = {"COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES"};
    options.timeout = std::chrono::seconds(30);
    std::vector<std::string> argv{stackBinary(), "-p", "cfg"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, options);
  }

 private:
  fs::path dir_;
};

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

const char* kDollars = R"(services:
  job:
    image: busybox:${TAG:-1.36}
    command: ["sh", "-c", "echo $$HOME costs $$5 ${REQ:?set REQ} ${ALT:+yes}"]
)";

}  // namespace

TEST_CASE(
    "config keeps $$ escaped so its output loads again, --no-interpolate keeps it as written") {
  ConfigDir dir(kDollars);
  auto rendered = dir.stack({"config"}, {{"REQ", "r"}});
  REQUIRE_MESSAGE(rendered.exit_code == 0, rendered.err);
  CHECK(contains(rendered.out, "echo $$HOME costs $$5 r "));
  CHECK_FALSE(contains(rendered.out, " $HOME"));
  auto json = dir.stack({"config", "--format", "json"}, {{"REQ", "r"}});
  CHECK(contains(json.out, "echo $$HOME costs $$5 r "));
  auto raw = dir.stack({"config", "--no-interpolate"});
  CHECK_MESSAGE(raw.exit_code == 0, raw.err);
  CHECK(contains(raw.out, "${REQ:?set REQ}"));
  // Fed back, the rendered output means the same thing.
  ConfigDir again(rendered.out, "again");
  auto reloaded = again.stack({"config"});
  CHECK_MESSAGE(reloaded.exit_code == 0, reloaded.err);
  CHECK(reloaded.out == rendered.out);
  // The required variable unset: a failure, not an empty value.
  CHECK(dir.stack({"config"}).exit_code == 1);
}

TEST_CASE(
    "config --variables lists the variables with their defaults, --environment the environment") {
  ConfigDir dir(kDollars);
  auto table = dir.stack({"config", "--variables"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out ==
        "NAME                REQUIRED            DEFAULT VALUE       ALTERNATE VALUE\n"
        "ALT                 false                                   yes\n"
        "REQ                 true                                    \n"
        "TAG                 false               1.36                \n");
  auto json = dir.stack({"config", "--variables", "--format", "json"});
  CHECK(contains(
      json.out,
      R"("TAG":{"DefaultValue":"1.36","Name":"TAG","PresenceValue":"","Required":false})"));
  auto environment = dir.stack({"config", "--environment"}, {{"REQ", "from-env"}});
  CHECK_MESSAGE(environment.exit_code == 0, environment.err);
  CHECK(contains(environment.out, "\nREQ=from-env\n"));
  CHECK(dir.stack({"config", "--variables", "--format", "toml"}).exit_code == 1);
}

TEST_CASE("config --no-consistency, --no-normalize and --no-path-resolution") {
  ConfigDir dir(R"(services:
  web:
    image: busybox
    networks: [ghost]
    volumes: ["./data:/data"]
)");
  auto checked = dir.stack({"config"});
  CHECK(checked.exit_code == 1);
  CHECK(contains(checked.err, "undefined network \"ghost\""));
  auto unchecked = dir.stack({"config", "--no-consistency", "--no-path-resolution"});
  REQUIRE_MESSAGE(unchecked.exit_code == 0, unchecked.err);
  CHECK(contains(unchecked.out, "source: ./data\n"));
  ConfigDir plain("services:\n  web:\n    image: busybox\n", "plain");
  CHECK(contains(plain.stack({"config"}).out, "default: null"));
  auto raw = plain.stack({"config", "--no-normalize"});
  CHECK_MESSAGE(raw.exit_code == 0, raw.err);
  CHECK_FALSE(contains(raw.out, "default: null"));
}

TEST_CASE("a file without services is valid for config, up says there is nothing to run") {
  ConfigDir dir("volumes:\n  data: {}\n");
  auto config = dir.stack({"config"});
  CHECK_MESSAGE(config.exit_code == 0, config.err);
  CHECK(contains(config.out, "services: {}\n"));
  auto up = dir.stack({"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "no service selected"));
  ConfigDir empty("", "empty");
  auto nothing = empty.stack({"config"});
  CHECK(nothing.exit_code == 1);
  CHECK(contains(nothing.err, "empty compose file"));
}
