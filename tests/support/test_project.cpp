#include "tests/support/test_project.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

namespace stack::test {
namespace fs = std::filesystem;

std::string stackBinary() {
  return STACK_BINARY;
}

void requireEngine() {
  static int state = 0;  // 0 unknown, 1 answers, 2 does not
  if (state == 0) {
    auto result = runCommand({"docker", "version", "--format", "{{.Server.Version}}"},
                             {.timeout = std::chrono::seconds(20)});
    state = result.exit_code == 0 ? 1 : 2;
    if (state == 2) {
      MESSAGE("no Docker engine answers: " << result.err);
    }
  }
  if (state == 2) {
    FAIL(
        "integration tests need a Docker engine; none answers at DOCKER_HOST (default "
        "unix:///var/run/docker.sock). Run scripts/setup.sh --engine as root.");
  }
  auto image = runCommand({"docker", "image", "inspect", kTestImage});
  if (image.exit_code != 0) {
    FAIL("the test image " << kTestImage << " is missing; run scripts/setup.sh --test-image");
  }
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TestProject::TestProject(const std::string& compose_yaml, const std::string& prefix) {
  std::random_device device;
  std::mt19937_64 random(device() ^ static_cast<uint64_t>(::getpid()));
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix += digits[random() % 36];
  name_ = "stk" + prefix + suffix;
  dir_ = (fs::temp_directory_path() / name_).string();
  fs::create_directories(dir_);
  writeFile("compose.yaml", compose_yaml);
}

TestProject::~TestProject() {
  stack({"down", "-v", "--remove-orphans", "-t", "1"}, {.timeout = std::chrono::seconds(120)});
  const std::string filter = "label=com.docker.compose.project=" + name_;
  runShell("ids=$(docker ps -aq --filter " + filter + "); [ -z \"$ids\" ] || docker rm -f $ids");
  runShell("ids=$(docker network ls -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker network rm $ids");
  runShell("ids=$(docker volume ls -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker volume rm -f $ids");
  runShell("ids=$(docker images -q --filter 'reference=" + name_ +
           "-*'); [ -z \"$ids\" ] || docker rmi -f $ids");
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void TestProject::writeFile(const std::string& relative_path, const std::string& content) const {
  const fs::path path = fs::path(dir_) / relative_path;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

CommandResult TestProject::stack(const std::vector<std::string>& args,
                                 CommandOptions options) const {
  std::vector<std::string> argv{stackBinary(), "-p", name_};
  argv.insert(argv.end(), args.begin(), args.end());
  if (options.cwd.empty()) options.cwd = dir_;
  options.env.emplace("COMPOSE_PROGRESS", "plain");
  return runCommand(argv, options);
}

CommandResult TestProject::docker(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

std::vector<std::string> TestProject::containerIds() const {
  auto ids = lines(
      docker({"ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + name_})
          .out);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> TestProject::containerNames() const {
  auto names = lines(docker({"ps", "-a", "--format", "{{.Names}}", "--filter",
                             "label=com.docker.compose.project=" + name_})
                         .out);
  std::sort(names.begin(), names.end());
  return names;
}

std::string TestProject::containerLabel(const std::string& container,
                                        const std::string& label) const {
  auto result =
      docker({"inspect", "--format", "{{index .Config.Labels \"" + label + "\"}}", container});
  auto values = lines(result.out);
  return values.empty() ? "" : values.front();
}

}  // namespace stack::test
