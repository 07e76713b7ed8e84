#include <doctest/doctest.h>

#include "compose_test_util.hpp"
#include "orchestrator/compose/loader.hpp"

using namespace stack::orchestrator::compose;
using stack::orchestrator::compose::testing::TempProject;

TEST_CASE("override files merge per the specification") {
  TempProject p;
  p.write(
      "compose.yaml",
      "services:\n  web:\n    image: a\n    command: [one, two]\n    ports: ['80:80', '443:443']\n"
      "    environment: {A: '1', B: '2'}\n    volumes: ['./x:/data']\n    labels: [l=1]\n"
      "    dns: 1.1.1.1\n");
  p.write("compose.override.yaml",
          "services:\n  web:\n    command: three\n    ports: ['80:80', '8080:8080']\n"
          "    environment: [B=3]\n    volumes: ['./y:/data']\n    labels: !reset {}\n    dns: "
          "8.8.8.8\n");
  auto web = loadProject(p.options()).project.services.at("web");
  CHECK(web.command == std::vector<std::string>{"three"});
  REQUIRE(web.ports.size() == 3);
  CHECK(web.environment.at("A") == "1");
  CHECK(web.environment.at("B") == "3");
  REQUIRE(web.volumes.size() == 1);
  CHECK(web.volumes[0].source == p.path("y"));
  CHECK(web.labels.empty());
  CHECK(web.dns == std::vector<std::string>{"1.1.1.1", "8.8.8.8"});
}

TEST_CASE("!override replaces instead of merging") {
  TempProject p;
  p.write("compose.yaml", "services:\n  web:\n    image: a\n    ports: ['80:80', '443:443']\n");
  p.write("compose.override.yaml", "services:\n  web:\n    ports: !override ['8080:80']\n");
  auto web = loadProject(p.options()).project.services.at("web");
  REQUIRE(web.ports.size() == 1);
  CHECK(web.ports[0].published == "8080");
}

TEST_CASE("extends chains across files and resolves paths against the base file") {
  TempProject p;
  p.write("base/common.yaml",
          "services:\n  root:\n    image: r\n    env_file: root.env\n    environment: {R: '1'}\n"
          "  mid:\n    extends: root\n    environment: {M: '1'}\n");
  p.write("base/root.env", "FROM_FILE=1\n");
  p.write("compose.yaml",
          "services:\n  web:\n    extends: {file: base/common.yaml, service: mid}\n"
          "    environment: {W: '1'}\n");
  auto web = loadProject(p.options()).project.services.at("web");
  CHECK(web.image == "r");
  CHECK(web.environment.size() == 4);
  REQUIRE(web.env_file.size() == 1);
  CHECK(web.env_file[0].path == p.path("base/root.env"));
}
