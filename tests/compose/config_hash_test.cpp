#include "orchestrator/compose/config_hash.hpp"

#include <doctest/doctest.h>

#include "compose_test_util.hpp"
#include "orchestrator/compose/config_query.hpp"
#include "orchestrator/compose/loader.hpp"

using namespace stack::orchestrator::compose;
using stack::orchestrator::compose::testing::TempProject;

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

TEST_CASE("the config hash follows config files and inline and environment contents") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web: {image: x, configs: [conf, inline], secrets: [token]}\n"
          "configs:\n  conf: {file: ./app.conf}\n  inline: {content: one}\n"
          "secrets:\n  token: {environment: TOKEN}\n");
  p.write("app.conf", "a=1\n");
  auto hashWith = [&](const std::string& token) {
    auto project = loadProject(p.options({{"TOKEN", token}})).project;
    return serviceConfigHash(project, project.services.at("web"));
  };
  const std::string base = hashWith("t1");
  CHECK(hashWith("t1") == base);
  CHECK(hashWith("t2") != base);
  p.write("app.conf", "a=2\n");
  const std::string edited_file = hashWith("t1");
  CHECK(edited_file != base);
  p.write("compose.yaml",
          "services:\n  web: {image: x, configs: [conf, inline], secrets: [token]}\n"
          "configs:\n  conf: {file: ./app.conf}\n  inline: {content: two}\n"
          "secrets:\n  token: {environment: TOKEN}\n");
  CHECK(hashWith("t1") != edited_file);
}

// The hash is part of every container stack ever created: if this value changes, upgrading
// stack recreates every container. Change it only together with kConfigHashVersion.
TEST_CASE("the config hash of a fixed service is stable across stack versions") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n"
          "  web:\n"
          "    image: nginx:1.25\n"
          "    command: [nginx, -g, daemon off;]\n"
          "    environment: {A: '1', B: two}\n"
          "    ports: ['127.0.0.1:8080:80', '443']\n"
          "    volumes: [data:/data, /cache]\n"
          "    labels: {role: front}\n"
          "    restart: unless-stopped\n"
          "    healthcheck: {test: [CMD, /bin/true], interval: 5s}\n"
          "volumes:\n  data: {}\n");
  CHECK(hashOf(p) == "7980ffedfe788bea00398aa5122d8c01e7019c28010a267874ca39444ca36935");
}
