// The lifecycle and view commands end to end: create, start, restart, pause, unpause,
// kill, rm, ls, events, port, top, images and ps filters, through the real `stack` binary
// against dockerd, checked with the docker CLI. Commands that need only the project name
// run from "/", where there is no compose file, as docker compose's do from labels.

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// db keeps an anonymous volume; web depends on db and restarts with it.
const char* kProject = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    volumes: ["/data"]
  web:
    image: stack-test/busybox:latest
    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]
    stop_grace_period: 1s
    ports: ["80"]
    depends_on:
      db:
        condition: service_started
        restart: true
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string inspect(const TestProject& project, const std::string& container,
                    const std::string& format) {
  auto result = project.docker({"inspect", "--format", format, container});
  auto values = lines(result.out);
  return values.empty() ? "" : values.front();
}

std::string state(const TestProject& project, const std::string& container) {
  return inspect(project, container, "{{.State.Status}}");
}

// When the container last started, as an RFC 3339 time with nine fraction digits, so that
// times compare as strings (the engine drops trailing zeros).
std::string startedAt(const TestProject& project, const std::string& container) {
  std::string time = inspect(project, container, "{{.State.StartedAt}}");
  const auto zone = time.find_first_of("Z+", 19);
  if (zone == std::string::npos) return time;
  const auto dot = time.find('.');
  const size_t digits = dot == std::string::npos ? 0 : zone - dot - 1;
  std::string fraction = dot == std::string::npos ? "." : "";
  fraction += std::string(9 - std::min<size_t>(digits, 9), '0');
  time.insert(zone, fraction);
  return time;
}

// Runs `stack` with a terminal as its standard input (through script(1)), typing `typed`.
CommandResult stackOnTerminal(const TestProject& project, const std::string& args,
                              const std::string& typed) {
  const std::string command =
      "COMPOSE_PROGRESS=plain " + stackBinary() + " -p " + project.name() + " " + args;
  return runCommand({"script", "-qec", command, "/dev/null"},
                    {.cwd = project.dir(), .stdin_data = typed});
}

struct Running {
  explicit Running(const TestProject& p)
      : project(p), web(p.name() + "-web-1"), db(p.name() + "-db-1") {
    auto up = project.stack({"up", "-d"});
    REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  }
  const TestProject& project;
  std::string web;
  std::string db;
};

}  // namespace

TEST_CASE("create makes containers without starting them and start starts them in order") {
  requireEngine();
  TestProject project(kProject, "lc");
  const std::string web = project.name() + "-web-1";
  const std::string db = project.name() + "-db-1";
  auto conflict = project.stack({"create", "--force-recreate", "--no-recreate"});
  CHECK(conflict.exit_code == 1);
  CHECK(contains(conflict.err, "incompatible"));

  auto create = project.stack({"create"});
  REQUIRE_MESSAGE(create.exit_code == 0, create.err);
  CHECK(state(project, web) == "created");
  CHECK(state(project, db) == "created");

  auto start = project.stack({"start", "--wait", "--wait-timeout", "60"});
  REQUIRE_MESSAGE(start.exit_code == 0, start.err);
  CHECK(state(project, web) == "running");
  CHECK(state(project, db) == "running");
  CHECK(startedAt(project, db) <= startedAt(project, web));  // dependencies first

  auto scaled = project.stack({"create", "--no-deps", "--scale", "web=2", "web"});
  REQUIRE_MESSAGE(scaled.exit_code == 0, scaled.err);
  CHECK(state(project, project.name() + "-web-2") == "created");
  CHECK(state(project, web) == "running");  // unchanged: not recreated, not stopped
  auto start_web = project.stack({"start", "web"}, {.cwd = "/"});
  REQUIRE_MESSAGE(start_web.exit_code == 0, start_web.err);
  CHECK(state(project, project.name() + "-web-2") == "running");
}

TEST_CASE("start and pause name what is missing") {
  requireEngine();
  TestProject project(kProject, "lc");
  auto start = project.stack({"start"});
  CHECK(start.exit_code == 1);
  CHECK(contains(start.err, "no container to start"));
  auto unknown = project.stack({"pause", "nope"});  // the loader's check: a config error
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, "no such service: \"nope\""));
  Running running(project);
  auto from_labels = project.stack({"pause", "nope"}, {.cwd = "/"});
  CHECK(from_labels.exit_code == 1);
  CHECK(contains(from_labels.err, "no such service: nope"));
  CHECK(inspect(project, running.web, "{{.State.Paused}}") == "false");
}

TEST_CASE("kill and start and restart work from labels without a compose file") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  auto kill = project.stack({"kill"}, {.cwd = "/"});
  REQUIRE_MESSAGE(kill.exit_code == 0, kill.err);
  CHECK(state(project, running.web) == "exited");
  CHECK(inspect(project, running.db, "{{.State.ExitCode}}") == "137");
  auto nothing = project.stack({"kill"}, {.cwd = "/"});
  CHECK(nothing.exit_code == 0);
  CHECK(contains(nothing.err, "No container to kill"));

  auto start = project.stack({"start"}, {.cwd = "/"});
  REQUIRE_MESSAGE(start.exit_code == 0, start.err);
  CHECK(state(project, running.web) == "running");
  CHECK(state(project, running.db) == "running");

  // web declared restart: true on db, and the label says so: it restarts with db.
  const std::string web_before = startedAt(project, running.web);
  const std::string db_before = startedAt(project, running.db);
  auto restart = project.stack({"restart", "-t", "1", "db"}, {.cwd = "/"});
  REQUIRE_MESSAGE(restart.exit_code == 0, restart.err);
  CHECK(startedAt(project, running.db) != db_before);
  CHECK(startedAt(project, running.web) != web_before);
  CHECK(startedAt(project, running.db) <= startedAt(project, running.web));

  const std::string web_after = startedAt(project, running.web);
  auto no_deps = project.stack({"restart", "--no-deps", "-t", "1", "db"}, {.cwd = "/"});
  REQUIRE_MESSAGE(no_deps.exit_code == 0, no_deps.err);
  CHECK(startedAt(project, running.web) == web_after);
}

TEST_CASE("pause and unpause with ps filters by status") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  auto pause = project.stack({"pause"});
  REQUIRE_MESSAGE(pause.exit_code == 0, pause.err);
  CHECK(inspect(project, running.web, "{{.State.Paused}}") == "true");
  CHECK(inspect(project, running.db, "{{.State.Paused}}") == "true");
  auto paused = project.stack({"ps", "--filter", "status=paused", "--format", "json"});
  REQUIRE_MESSAGE(paused.exit_code == 0, paused.err);
  CHECK(lines(paused.out).size() == 2);
  auto bad_filter = project.stack({"ps", "--filter", "source=x"});
  CHECK(bad_filter.exit_code == 1);

  auto unpause = project.stack({"unpause", "web"}, {.cwd = "/"});
  REQUIRE_MESSAGE(unpause.exit_code == 0, unpause.err);
  CHECK(inspect(project, running.web, "{{.State.Paused}}") == "false");
  CHECK(inspect(project, running.db, "{{.State.Paused}}") == "true");
  REQUIRE(project.stack({"unpause"}, {.cwd = "/"}).exit_code == 0);
  CHECK(inspect(project, running.db, "{{.State.Paused}}") == "false");

  auto json = project.stack({"ps", "--format", "json", "web"});
  REQUIRE(lines(json.out).size() == 1);
  const auto row = nlohmann::json::parse(lines(json.out).front());
  CHECK(row["ID"].get<std::string>().size() == 12);
  auto full = project.stack({"ps", "--no-trunc", "--format", "json", "web"});
  REQUIRE(lines(full.out).size() == 1);
  CHECK(nlohmann::json::parse(lines(full.out).front())["ID"].get<std::string>().size() == 64);
}

TEST_CASE("dry-run prints the plan of mutating commands and changes nothing") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  const std::string started = startedAt(project, running.web);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--dry-run", "kill"},
                                             {"--dry-run", "pause"},
                                             {"--dry-run", "restart"},
                                             {"--dry-run", "rm", "-s"},
                                             {"--dry-run", "create", "--force-recreate"}}) {
    auto result = project.stack(args);
    CHECK_MESSAGE(result.exit_code == 0, args[1] << ": " << result.err);
    CHECK_MESSAGE(contains(result.err, "DRY-RUN"), args[1] << ": " << result.err);
  }
  CHECK(state(project, running.web) == "running");
  CHECK(state(project, running.db) == "running");
  CHECK(startedAt(project, running.web) == started);
}

TEST_CASE("rm asks on a terminal and refuses without one unless -f") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  auto none = project.stack({"rm"});
  CHECK(none.exit_code == 0);
  CHECK(contains(none.err, "No stopped containers"));

  REQUIRE(project.stack({"kill", "db"}).exit_code == 0);
  auto refused = project.stack({"rm"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "-f"));
  CHECK(state(project, running.db) == "exited");

  auto declined = stackOnTerminal(project, "rm", "n\n");
  CHECK_MESSAGE(declined.exit_code == 0, declined.out);
  CHECK(contains(declined.out, "Going to remove " + running.db + ". Are you sure? [yN]"));
  CHECK(state(project, running.db) == "exited");
  const std::string volume = inspect(project, running.db, "{{range .Mounts}}{{.Name}}{{end}}");
  REQUIRE_FALSE(volume.empty());
  auto accepted = stackOnTerminal(project, "rm -v db", "y\n");
  CHECK_MESSAGE(accepted.exit_code == 0, accepted.out);
  CHECK(project.docker({"inspect", running.db}).exit_code != 0);
  CHECK(project.docker({"volume", "inspect", volume}).exit_code != 0);  // -v: its volume too
  CHECK(state(project, running.web) == "running");

  // -s stops the running containers first; -f does not ask, it only says what it removes.
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  const std::string new_volume = inspect(project, running.db, "{{range .Mounts}}{{.Name}}{{end}}");
  auto forced = project.stack({"rm", "-f", "-s", "-v"}, {.cwd = "/"});
  REQUIRE_MESSAGE(forced.exit_code == 0, forced.err);
  CHECK(contains(forced.out, "Going to remove"));
  CHECK(project.containerIds().empty());
  CHECK(project.docker({"volume", "inspect", new_volume}).exit_code != 0);
}

TEST_CASE("ls lists the project from labels as a table and as JSON") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  const std::string filter = "name=" + project.name();
  auto table = project.stack({"ls", "--filter", filter}, {.cwd = "/"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  REQUIRE(lines(table.out).size() == 2);
  CHECK(contains(lines(table.out)[0], "NAME"));
  CHECK(contains(lines(table.out)[1], project.name()));
  CHECK(contains(lines(table.out)[1], "running(2)"));

  auto json = project.stack({"ls", "--filter", filter, "--format", "json"}, {.cwd = "/"});
  REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  const auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["Name"] == project.name());
  CHECK(list[0]["Status"] == "running(2)");
  CHECK(list[0]["ConfigFiles"] == project.dir() + "/compose.yaml");

  REQUIRE(project.stack({"kill"}).exit_code == 0);
  CHECK(lines(project.stack({"ls", "-q", "--filter", filter}).out).empty());
  auto all = project.stack({"ls", "-a", "-q", "--filter", filter});
  CHECK(lines(all.out) == std::vector<std::string>{project.name()});
  auto stopped = project.stack({"ls", "-a", "--filter", filter, "--format", "json"});
  CHECK(nlohmann::json::parse(stopped.out)[0]["Status"] == "exited(2)");
  CHECK(project.stack({"ls", "--filter", "status=running"}).exit_code == 1);
}

TEST_CASE("port top and images describe the running containers from labels") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  auto port = project.stack({"port", "web", "80"}, {.cwd = "/"});
  REQUIRE_MESSAGE(port.exit_code == 0, port.err);
  const auto published = lines(port.out);
  REQUIRE(published.size() == 1);
  CHECK(std::regex_match(published[0], std::regex(R"(0\.0\.0\.0:\d+)")));
  const auto docker_port = lines(project.docker({"port", running.web, "80/tcp"}).out);
  CHECK(std::find(docker_port.begin(), docker_port.end(), published[0]) != docker_port.end());
  auto missing = project.stack({"port", "web", "81"}, {.cwd = "/"});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "no port 81/tcp"));
  auto second = project.stack({"port", "--index", "2", "web", "80"}, {.cwd = "/"});
  CHECK(contains(second.err, "service \"web\" is not running container #2"));

  auto top = project.stack({"top"}, {.cwd = "/"});
  REQUIRE_MESSAGE(top.exit_code == 0, top.err);
  const auto rows = lines(top.out);
  REQUIRE(rows.size() >= 3);
  CHECK(std::regex_search(rows[0], std::regex(R"(^SERVICE\s+#\s+.*PID.*CMD$)")));
  CHECK(std::regex_search(top.out, std::regex(R"(\ndb\s+1\s.*sleep 3600)")));
  CHECK(std::regex_search(top.out, std::regex(R"(\nweb\s+1\s.*httpd)")));

  const std::string image_id =
      lines(project.docker({"image", "inspect", "--format", "{{.Id}}", kTestImage}).out).at(0);
  auto images = project.stack({"images", "--format", "json"}, {.cwd = "/"});
  REQUIRE_MESSAGE(images.exit_code == 0, images.err);
  const auto list = nlohmann::json::parse(images.out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["ContainerName"] == running.db);
  CHECK(list[0]["Repository"] == "stack-test/busybox");
  CHECK(list[0]["Tag"] == "latest");
  CHECK(list[0]["ID"] == image_id);
  auto quiet = project.stack({"images", "-q"}, {.cwd = "/"});
  CHECK(lines(quiet.out) == std::vector<std::string>{image_id.substr(7)});
  auto table = project.stack({"images", "web"}, {.cwd = "/"});
  REQUIRE(lines(table.out).size() == 2);
  CHECK(std::regex_search(lines(table.out)[1],
                          std::regex(running.web + R"(\s+stack-test/busybox\s+latest\s+linux/)")));
}

TEST_CASE("events replays and follows the project's container events") {
  requireEngine();
  TestProject project(kProject, "lc");
  Running running(project);
  const std::string since = lines(runShell("date +%s").out).at(0);
  REQUIRE(project.stack({"restart", "-t", "1", "web"}).exit_code == 0);
  const std::string until = std::to_string(std::stol(lines(runShell("date +%s").out).at(0)) + 1);

  auto json = project.stack({"events", "--json", "--since", since, "--until", until}, {.cwd = "/"});
  REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  const std::string web_id = inspect(project, running.web, "{{.Id}}");
  bool restarted = false;
  for (const auto& line : lines(json.out)) {
    const auto event = nlohmann::json::parse(line);
    CHECK(event["type"] == "container");
    CHECK(
        std::regex_match(event["time"].get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))")));
    for (const auto& [key, _] : event["attributes"].items()) {
      CHECK(key.rfind("com.docker.compose.", 0) == std::string::npos);
    }
    if (event["action"] == "restart" && event["id"] == web_id) {
      restarted = true;
      CHECK(event["service"] == "web");
      CHECK(event["attributes"]["name"] == running.web);
    }
  }
  CHECK(restarted);

  auto text = project.stack({"events", "--since", since, "--until", until, "web"}, {.cwd = "/"});
  REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  const std::regex line_pattern(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d container \S+ [0-9a-f]{64} \(.*\))");
  REQUIRE_FALSE(lines(text.out).empty());
  for (const auto& line : lines(text.out)) {
    CHECK_MESSAGE(std::regex_match(line, line_pattern), line);
    CHECK(contains(line, web_id));
  }

  // Following: the event of a kill arrives while stack runs; Ctrl-C ends it with 130.
  const std::string out = project.dir() + "/events.out";
  auto follow = runShell(stackBinary() + " -p " + project.name() + " events --json > " + out +
                         " & pid=$!; sleep 1; docker kill " + running.db +
                         " >/dev/null; sleep 1; kill -INT $pid; wait $pid; echo rc=$?");
  CHECK(contains(follow.out, "rc=130"));
  auto followed = runCommand({"cat", out});
  CHECK(contains(followed.out, "\"action\":\"kill\""));
  CHECK(contains(followed.out, "\"service\":\"db\""));
}

}  // namespace stack::test
