#include "orchestrator/compose/config_hash.hpp"

#include <doctest/doctest.h>

#include "compose_test_util.hpp"
#include "orchestrator/compose/config_query.hpp"
#include "orchestrator/compose/loader.hpp"

using namespace stack::compose;
using stack::compose::testing::TempProject;

namespace {
std::string hashOf(const TempProject& p, const std::string& service = "web") {
  auto project = loadProject(p.options()).project;
  return serviceConfigHash(project, project.services.at(service));
}
}  // namespace

TEST_CASE("the config hash ignores what compose ignores") {
  TempProject p;
  p.write("compose.yaml", "services:\n  web: {image: x}\n  db: {image: y}\n");
  std::string base = hashOf(p);
  CHECK(base.size() == 64);
  p.write("compose.yaml",
          "services:\n  web: {image: x, scale: 2, pull_policy: always, depends_on: [db], "
          "profiles: [a]}\n  db: {image: y}\n");
  auto options = p.options();
  options.profiles = {"a"};
  auto project = loadProject(options).project;
  CHECK(serviceConfigHash(project, project.services.at("web")) == base);
  p.write("compose.yaml", "services:\n  web: {image: x, environment: [A=1]}\n  db: {image: y}\n");
  CHECK(hashOf(p) != base);
}

TEST_CASE("the config hash follows the content of secrets and env files") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web: {image: x, secrets: [token], env_file: [app.env]}\n"
          "secrets:\n  token: {file: ./token.txt}\n");
  p.write("token.txt", "one");
  p.write("app.env", "A=1\n");
  std::string first = hashOf(p);
  p.write("token.txt", "two");
  std::string second = hashOf(p);
  CHECK(first != second);
  p.write("app.env", "A=1\nB=2\n");
  CHECK(hashOf(p) != second);
}

TEST_CASE("config listings") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web: {image: nginx, depends_on: [api]}\n  api: {build: .}\n"
          "  dbg: {image: busybox, profiles: [debug]}\n"
          "volumes: {data: {}}\nnetworks: {back: {}}\n");
  auto project = loadProject(p.options()).project;
  CHECK(listConfig(project, ConfigListing::Services) == std::vector<std::string>{"api", "web"});
  CHECK(listConfig(project, ConfigListing::Images) ==
        std::vector<std::string>{"test-api", "nginx"});
  CHECK(listConfig(project, ConfigListing::Profiles) == std::vector<std::string>{"debug"});
  CHECK(listConfig(project, ConfigListing::Volumes) == std::vector<std::string>{"data"});
  CHECK(listConfig(project, ConfigListing::Networks) ==
        std::vector<std::string>{"back", "default"});
  CHECK(configHashes(project, "*").size() == 2);
  CHECK_THROWS(configHashes(project, "nope"));
}
