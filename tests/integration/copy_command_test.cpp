// `stack cp` end to end through the real `stack` binary against dockerd, checked with the
// docker CLI. Each test has its own project (TestProject removes it, pass or fail).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

namespace fs = std::filesystem;

// web has two replicas; the test image is FROM scratch, so /srv is made by a volume.
const char* kProject = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    scale: 2
    volumes: ["/srv"]
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Running {
  explicit Running(const char* yaml = kProject) : project(yaml, "cmds") {
    requireEngine();
    auto up = project.stack({"up", "-d"});
    REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  }
  std::string container(int number) const {
    return project.name() + "-web-" + std::to_string(number);
  }
  std::string cat(int number, const std::string& path) const {
    return project.docker({"exec", container(number), "cat", path}).out;
  }
  TestProject project;
};

TEST_CASE("cp copies a directory into every container of a service, and a file back out") {
  Running run;
  run.project.writeFile("conf/app.ini", "port=80\n");
  run.project.writeFile("conf/sub/extra.txt", "extra\n");
  auto in = run.project.stack({"cp", "conf", "web:/srv/conf"});
  REQUIRE_MESSAGE(in.exit_code == 0, in.err);
  CHECK(contains(in.err, "Copied"));
  CHECK(run.cat(1, "/srv/conf/app.ini") == "port=80\n");
  CHECK(run.cat(2, "/srv/conf/sub/extra.txt") == "extra\n");

  auto out = run.project.stack({"cp", "web:/srv/conf/app.ini", "back.ini"});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  CHECK(readFile(fs::path(run.project.dir()) / "back.ini") == "port=80\n");

  // Into an existing directory keeps the source's name; "dir/." copies its contents.
  fs::create_directories(fs::path(run.project.dir()) / "existing");
  auto dir = run.project.stack({"cp", "web:/srv/conf", "existing"});
  REQUIRE_MESSAGE(dir.exit_code == 0, dir.err);
  CHECK(readFile(fs::path(run.project.dir()) / "existing/conf/sub/extra.txt") == "extra\n");
  auto contents = run.project.stack({"cp", "web:/srv/conf/.", "flat"});
  REQUIRE_MESSAGE(contents.exit_code == 0, contents.err);
  CHECK(readFile(fs::path(run.project.dir()) / "flat/app.ini") == "port=80\n");
}

TEST_CASE("cp --index, -L, -a and tar archives on stdin and stdout") {
  Running run;
  run.project.writeFile("one.txt", "one\n");
  auto only_two = run.project.stack({"cp", "--index", "2", "one.txt", "web:/srv/one.txt"});
  REQUIRE_MESSAGE(only_two.exit_code == 0, only_two.err);
  CHECK(run.cat(2, "/srv/one.txt") == "one\n");
  CHECK(run.project.docker({"exec", run.container(1), "test", "-e", "/srv/one.txt"}).exit_code !=
        0);

  // -L copies what a symlink points to, under the link's name.
  run.project.docker({"exec", run.container(1), "ln", "-s", "/srv/one.txt", "/srv/link"});
  run.project.docker({"cp", fs::path(run.project.dir()).append("one.txt").string(),
                      run.container(1) + ":/srv/one.txt"});
  auto followed = run.project.stack({"cp", "-L", "web:/srv/link", "followed"});
  REQUIRE_MESSAGE(followed.exit_code == 0, followed.err);
  CHECK(readFile(fs::path(run.project.dir()) / "followed") == "one\n");
  CHECK_FALSE(fs::is_symlink(fs::path(run.project.dir()) / "followed"));
  auto as_link = run.project.stack({"cp", "web:/srv/link", "as-link"});
  REQUIRE_MESSAGE(as_link.exit_code == 0, as_link.err);
  CHECK(fs::is_symlink(fs::path(run.project.dir()) / "as-link"));

  auto archive = run.project.stack({"cp", "-a", "one.txt", "web:/srv/archived.txt"});
  REQUIRE_MESSAGE(archive.exit_code == 0, archive.err);
  CHECK(run.cat(1, "/srv/archived.txt") == "one\n");

  // stdout is the engine's tar; stdin takes one.
  auto tar = runShell("cd '" + run.project.dir() + "' && " + stackBinary() + " -p " +
                      run.project.name() + " cp web:/srv/one.txt - | tar -tf -");
  REQUIRE_MESSAGE(tar.exit_code == 0, tar.err);
  CHECK(contains(tar.out, "one.txt"));
  auto from_stdin = runShell("cd '" + run.project.dir() + "' && tar -cf - one.txt | " +
                             stackBinary() + " -p " + run.project.name() + " cp - web:/srv/");
  REQUIRE_MESSAGE(from_stdin.exit_code == 0, from_stdin.err);
  CHECK(run.cat(1, "/srv/one.txt") == "one\n");
}

TEST_CASE("cp fails clearly: unknown service, missing paths, a stopped service, no engine") {
  Running run;
  auto unknown = run.project.stack({"cp", "nosuch:/x", "."});
  CHECK(unknown.exit_code != 0);
  CHECK(contains(unknown.err, "no such service"));
  CHECK(contains(unknown.err, "nosuch"));
  auto missing = run.project.stack({"cp", "web:/nope", "."});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "Could not find the file /nope"));
  auto local = run.project.stack({"cp", "absent.txt", "web:/srv/"});
  CHECK(local.exit_code == 1);
  CHECK(contains(local.err, "no such file or directory"));
  auto no_dir = run.project.stack({"cp", "web:/srv", "missing-parent/x/y"});
  CHECK(no_dir.exit_code == 1);
  CHECK(contains(no_dir.err, "does not exist"));
  // A stopped container still takes files, as with docker compose.
  REQUIRE(run.project.stack({"stop"}).exit_code == 0);
  run.project.writeFile("late.txt", "late\n");
  auto stopped = run.project.stack({"cp", "late.txt", "web:/srv/late.txt"});
  CHECK_MESSAGE(stopped.exit_code == 0, stopped.err);
  auto none = run.project.stack({"cp", "web:/srv", "."},
                                {.env = {{"DOCKER_HOST", "unix:///tmp/stack-no-engine.sock"}}});
  CHECK(none.exit_code == 1);
  CHECK(contains(none.err, "stack-no-engine.sock"));
}

}  // namespace
}  // namespace stack::test
