#include "orchestrator/compose/loader.hpp"

#include <doctest/doctest.h>

#include "compose_test_util.hpp"
#include "core/error.hpp"
#include "orchestrator/compose/serialize.hpp"

using namespace stack::orchestrator::compose;
using stack::orchestrator::compose::testing::TempProject;

namespace {
stack::Error loadError(const TempProject& project, StringMap env = {}) {
  try {
    loadProject(project.options(env));
  } catch (const stack::Error& error) {
    return error;
  }
  FAIL("expected the load to fail");
  return stack::Error(stack::ErrorKind::Internal, "unreachable");
}
}  // namespace

TEST_CASE("errors name file, line, column and key path") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web:\n    image: nginx\n    ports:\n      - \"99999:80\"\n");
  auto error = loadError(p);
  CHECK(error.kind() == stack::ErrorKind::Config);
  CHECK(error.location().file == p.path("compose.yaml"));
  CHECK(error.location().line == 5);
  CHECK(error.location().column == 9);
  CHECK(error.location().key_path == "services.web.ports[0]");
}

TEST_CASE("unknown keys suggest the closest one") {
  TempProject p;
  p.write("compose.yaml", "services:\n  web:\n    imgae: nginx\n");
  auto error = loadError(p);
  CHECK(error.location().key_path == "services.web.imgae");
  CHECK(error.location().line == 3);
  CHECK(error.hint() == "did you mean \"image\"?");
}

TEST_CASE("errors after merging point into the file that caused them") {
  TempProject p;
  p.write("compose.yaml", "services:\n  web:\n    image: nginx\n");
  p.write("compose.override.yaml", "services:\n  web:\n    restart: sometimes\n");
  auto error = loadError(p);
  CHECK(error.location().file == p.path("compose.override.yaml"));
  CHECK(error.location().line == 3);
  CHECK(error.message() == "invalid restart policy \"sometimes\"");
}

TEST_CASE("cycles are spelled out and located") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n"
          "  c: {image: x, depends_on: [a]}\n");
  auto error = loadError(p);
  CHECK(error.message() == "dependency cycle: a -> b -> c -> a");
  CHECK(error.location().file == p.path("compose.yaml"));
}

TEST_CASE("implicit dependencies from links, network_mode and volumes_from") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  db: {image: x}\n  cache: {image: x}\n"
          "  web: {image: x, links: ['db:database'], volumes_from: [cache], network_mode: "
          "'service:db'}\n");
  auto project = loadProject(p.options()).project;
  const auto& deps = project.services.at("web").depends_on;
  REQUIRE(deps.size() == 2);
  CHECK(deps.at("db").restart);
  CHECK_FALSE(deps.at("cache").restart);
  CHECK(deps.at("cache").required);
}

TEST_CASE("environment precedence: OS over --env-file over .env") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web:\n    image: \"img:${TAG}\"\n    environment: [A=$A, B=$B]\n");
  p.write(".env", "TAG=dotenv\nA=dotenv\nB=dotenv\n");
  p.write("one.env", "TAG=one\nA=one\n");
  p.write("two.env", "A=two\n");
  auto project = loadProject(p.options({{"TAG", "os"}})).project;
  CHECK(project.services.at("web").image == "img:os");
  CHECK(project.services.at("web").environment.at("A") == "dotenv");
  auto options = p.options({{"TAG", "os"}});
  options.env_files = {p.path("one.env"), p.path("two.env")};
  auto with_files = loadProject(options).project;
  CHECK(with_files.services.at("web").environment.at("A") == "two");
  // compose reads the project's .env only when no --env-file is given
  CHECK(with_files.services.at("web").environment.at("B") == "");
}

TEST_CASE("project name precedence and validation") {
  TempProject p;
  p.write("compose.yaml", "name: From_File\nservices:\n  web: {image: x}\n");
  auto options = p.options();
  options.project_name.clear();
  CHECK(resolveProjectIdentity(options).name == "from_file");
  CHECK(loadProject(options).project.name == "from_file");
  auto env_options = p.options({{"COMPOSE_PROJECT_NAME", "fromenv"}});
  env_options.project_name.clear();
  CHECK(loadProject(env_options).project.name == "fromenv");
  auto bad = p.options();
  bad.project_name = "Bad Name";
  CHECK_THROWS_AS(loadProject(bad), stack::Error);
  CHECK(normalizeProjectName("-My_App.1") == "my_app1");
}

TEST_CASE("the default project name is the project directory's, also when given as . or dir/") {
  TempProject p;
  p.write("app/compose.yaml", "services:\n  web: {image: x}\n");
  for (const std::string& dir :
       std::vector<std::string>{".", "./", p.path("app") + "/", p.path("app/.")}) {
    auto options = p.options();
    options.project_name.clear();
    options.working_directory = p.path("app");
    options.project_directory = dir;
    CHECK_MESSAGE(loadProject(options).project.name == "app", dir);
  }
  // the root has no name to derive: still refused, with the hint
  auto root = p.options();
  root.project_name.clear();
  root.files = {p.path("app/compose.yaml")};
  root.project_directory = "/";
  CHECK_THROWS_WITH_AS(loadProject(root), doctest::Contains("project name must not be empty"),
                       stack::Error);
}

TEST_CASE("profiles: flags, COMPOSE_PROFILES and selected services") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web: {image: x}\n  debug: {image: x, profiles: [dev]}\n"
          "  tools: {image: x, profiles: [tools]}\n");
  auto plain = loadProject(p.options()).project;
  CHECK(plain.services.size() == 1);
  CHECK(plain.disabled_services.size() == 2);
  auto env = loadProject(p.options({{"COMPOSE_PROFILES", "dev,tools"}})).project;
  CHECK(env.services.size() == 3);
  auto options = p.options();
  options.selected_services = {"tools"};
  CHECK(loadProject(options).project.services.count("tools"));
}

TEST_CASE("deeply nested input and alias bombs are errors, not crashes") {
  TempProject p;
  std::string deep = "services:\n  web:\n    image: x\n    x-deep: " + std::string(500, '[') + "\n";
  p.write("compose.yaml", deep);
  CHECK_THROWS_AS(loadProject(p.options()), stack::Error);
  std::string bomb = "x-a: &a [1,1,1,1,1,1,1,1,1,1]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    bomb += std::string("x-") + c + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" +
            prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" +
            prev + "]\n";
  }
  p.write("compose.yaml", bomb + "services:\n  web: {image: x}\n");
  auto error = loadError(p);
  CHECK(error.message().find("too large") != std::string::npos);
}

TEST_CASE("inputs that make yaml-cpp loop or misbehave are rejected quickly") {
  TempProject p;
  p.write("compose.yaml", ",ervicefiles" + std::string(40, ']') + "ata:e};}\n");
  auto error = loadError(p);
  CHECK(error.message() == "invalid YAML: the parser stopped making progress here");
  p.write("compose.yaml", std::string("services:\n  web:\n    image: a\0b\n", 30));
  CHECK(loadError(p).message() == "control character 0x00 is not allowed in YAML");
  p.write("compose.yaml", "services:\n  web:\n    image: \"\\ud800\"\n");
  CHECK(loadError(p).location().line == 3);
}
