// Reading the data of secrets and configs: file, environment, content; errors name the key.

#include "swarm/file_objects.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "tests/swarm/swarm_test_support.hpp"

namespace stack::swarm {
namespace {

EnvironmentLookup lookup(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

const char* kFile = R"(
services:
  web: {image: a, secrets: [key, token], configs: [site]}
secrets:
  key: {file: ./key.txt}
  token: {environment: TOKEN}
  unused: {file: ./missing.txt}
  corp: {external: true}
configs:
  site: {content: "server {}"}
)";

TEST_CASE("secrets and configs: file, environment and content, and unused ones are not read") {
  compose::testing::TempProject dir;
  dir.write("compose.yaml", kFile);
  dir.write("key.txt", std::string("k\0ey\n", 5));
  compose::LoadOptions options = dir.options();
  const compose::Project project = compose::loadProject(options).project;
  const FileObjectData data = readFileObjects(project, lookup({{"TOKEN", "t0k"}}));
  CHECK(data.secrets.at("key") == std::string("k\0ey\n", 5));  // bytes as they are
  CHECK(data.secrets.at("token") == "t0k");
  CHECK(data.configs.at("site") == "server {}");
  CHECK_FALSE(data.secrets.count("unused"));
  CHECK_FALSE(data.secrets.count("corp"));
}

TEST_CASE("an unset variable or an unreadable file is a Config error naming the key") {
  compose::testing::TempProject dir;
  dir.write("compose.yaml", kFile);
  compose::LoadOptions options = dir.options();
  const compose::Project project = compose::loadProject(options).project;
  try {
    readFileObjects(project, lookup({{"TOKEN", "t0k"}}));
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    CHECK(error.location().key_path == "secrets.key.file");
  }
  dir.write("key.txt", "k");
  try {
    readFileObjects(project, lookup({}));
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.location().key_path == "secrets.token.environment");
    CHECK(std::string(error.what()).find("\"TOKEN\" is not set") != std::string::npos);
  }
}

}  // namespace
}  // namespace stack::swarm
