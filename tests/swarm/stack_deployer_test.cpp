// stack deploy end to end against the in-memory engines: the FakeEngine (images,
// networks) and the FakeSwarmEngine (services, tasks, secrets, configs).

#include "swarm/stack_deployer.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "runtime/fake/fake_engine.hpp"
#include "runtime/fake/fake_swarm_engine.hpp"
#include "swarm/stack_views.hpp"
#include "tests/swarm/swarm_test_support.hpp"

namespace stack::swarm {
namespace {

using runtime::fake::FakeEngine;
using runtime::fake::FakeImage;
using runtime::fake::FakeSwarmEngine;
using runtime::fake::TaskScript;

class RecordingProgress final : public progress::ProgressSink {
 public:
  void emit(const progress::ProgressEvent& event) override {
    events.push_back(event.resource + " " + event.name + " " + event.status);
  }
  void warn(const std::string& message) override { warnings.push_back(message); }
  std::vector<std::string> events;
  std::vector<std::string> warnings;
};

const char* kWebapp = R"(
services:
  web:
    image: web:1
    ports: ["8080:80"]
    environment: {DB_HOST: db}
    secrets: [db_password]
  db:
    image: db:1
    volumes: [data:/var/lib/db]
    secrets: [db_password]
volumes:
  data: {}
secrets:
  db_password: {file: ./db_password.txt}
)";

struct Fixture {
  boost::asio::io_context io;
  FakeEngine engine{io.get_executor()};
  FakeSwarmEngine swarm{&engine};
  RecordingProgress progress;
  compose::testing::TempProject dir;

  Fixture() {
    for (const char* tag : {"web:1", "web:2", "db:1"}) {
      FakeImage image;
      image.tags = {tag};
      engine.state().addImage(image);
    }
  }

  compose::Project project(const std::string& yaml) {
    dir.write("compose.yaml", yaml);
    if (!std::filesystem::exists(dir.path("db_password.txt")))
      dir.write("db_password.txt", "hunter2");
    compose::LoadOptions options = dir.options();
    options.project_name = "demo";
    return compose::loadProject(options).project;
  }

  PreparedDeploy deploy(const std::string& yaml, DeployOptions options = {}) {
    options.preparer.digest_cache = dir.path("digests");
    StackDeployer deployer(engine, swarm, progress);
    const compose::Project p = project(yaml);
    auto body = [&]() -> boost::asio::awaitable<PreparedDeploy> {
      PreparedDeploy prepared = co_await deployer.prepare(p, options);
      co_await deployer.apply(prepared, options);
      co_return prepared;
    };
    return testing::run(io, body());
  }

  std::string imageId(const std::string& tag) { return engine.state().image(tag)->id; }
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST_CASE("deploy a webapp and its database: services, network, secret, labels") {
  Fixture f;
  f.deploy(kWebapp);
  auto web = f.swarm.service("demo_web");
  REQUIRE(web);
  CHECK(web->labels.at("com.docker.stack.namespace") == "demo");
  CHECK(web->labels.at("com.docker.stack.image") == "web:1");
  // A local-only image on a one-node swarm runs by id: the node never tries to pull it.
  CHECK(web->spec["TaskTemplate"]["ContainerSpec"]["Image"] == f.imageId("web:1"));
  const Json& secret = web->spec["TaskTemplate"]["ContainerSpec"]["Secrets"][0];
  CHECK(secret["SecretName"] == "demo_db_password");
  CHECK(secret["SecretID"].get<std::string>().rfind("secret", 0) == 0);
  CHECK(f.swarm.secretData("demo_db_password") == std::optional<std::string>("hunter2"));
  auto network = f.engine.state().network("demo_default");
  REQUIRE(network);
  CHECK(network->driver == "overlay");
  CHECK(network->labels.at("com.docker.stack.namespace") == "demo");
  CHECK(f.swarm.service("demo_db")->spec["TaskTemplate"]["ContainerSpec"]["Mounts"][0]["Source"] ==
        "demo_data");
}

TEST_CASE("re-deploying an unchanged stack writes nothing") {
  Fixture f;
  f.deploy(kWebapp);
  f.swarm.clearCalls();
  f.engine.calls().clear();
  const PreparedDeploy again = f.deploy(kWebapp);
  CHECK(f.swarm.writes().empty());
  CHECK(f.engine.calls().mutations().empty());
  CHECK(again.plan.unchanged.size() == 2);
}

TEST_CASE("changing one service updates only it") {
  Fixture f;
  f.deploy(kWebapp);
  f.swarm.clearCalls();
  f.deploy(replace(kWebapp, "DB_HOST: db", "DB_HOST: db, MODE: fast"));
  CHECK(f.swarm.writes() == std::vector<std::string>{"updateService demo_web"});
  f.swarm.clearCalls();
  f.deploy(replace(kWebapp, "image: web:1", "image: web:2"));
  CHECK(f.swarm.writes() == std::vector<std::string>{"updateService demo_web"});
  CHECK(f.swarm.service("demo_web")->labels.at("com.docker.stack.image") == "web:2");
}

TEST_CASE("--prune removes services that left the file, without it they stay") {
  Fixture f;
  f.deploy(kWebapp);
  const std::string without_db = R"(
services:
  web: {image: web:1}
)";
  f.deploy(without_db);
  CHECK(f.swarm.service("demo_db"));
  CHECK_FALSE(f.progress.warnings.empty());
  DeployOptions prune;
  prune.prune = true;
  f.deploy(without_db, prune);
  CHECK_FALSE(f.swarm.service("demo_db"));
  CHECK(f.swarm.service("demo_web"));
}

TEST_CASE("a dry run reports the plan and writes nothing") {
  Fixture f;
  DeployOptions options;
  options.dry_run = true;
  const PreparedDeploy prepared = f.deploy(kWebapp, options);
  CHECK(prepared.plan.steps.size() == 4);  // network, secret, two services
  CHECK(f.swarm.writes().empty());
  CHECK(f.engine.calls().mutations().empty());
}

TEST_CASE("no manager: a clear error before anything is built or written") {
  Fixture f;
  f.swarm.leaveSwarm();
  try {
    f.deploy(kWebapp);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Engine);
    CHECK(std::string(error.what()).find("not a swarm manager (swarm state: inactive)") !=
          std::string::npos);
    CHECK(error.hint().find("docker swarm init") != std::string::npos);
  }
  CHECK(f.swarm.writes().empty());
  Fixture worker;
  worker.swarm.becomeWorker();
  CHECK_THROWS_WITH_AS(worker.deploy(kWebapp), doctest::Contains("not a swarm manager"), Error);
}

TEST_CASE("--strict fails on a dropped key before building or writing") {
  Fixture f;
  DeployOptions strict;
  strict.strict = true;
  const std::string yaml = R"(
services:
  web: {build: ., container_name: web}
)";
  f.dir.write("Dockerfile", "FROM scratch\n");
  CHECK_THROWS_WITH_AS(f.deploy(yaml, strict), doctest::Contains("services.web.container_name"),
                       Error);
  CHECK(f.engine.calls().count(runtime::fake::Method::BuildImage) == 0);
  CHECK(f.swarm.writes().empty());
}

TEST_CASE("--wait returns once every service runs its desired tasks") {
  Fixture f;
  f.swarm.script(f.imageId("web:1"), TaskScript{.polls_until_running = 3});
  DeployOptions wait;
  wait.wait = true;
  wait.wait_timeout = std::chrono::seconds(10);
  f.deploy(replace(kWebapp, "ports:", "deploy: {replicas: 2}\n    ports:"), wait);
  size_t running = 0;
  for (const auto& task : f.swarm.tasks("demo_web")) running += task.state == "running";
  CHECK(running == 2);
  CHECK(std::find(f.progress.events.begin(), f.progress.events.end(),
                  "Service demo_web Converged") != f.progress.events.end());
}

TEST_CASE("--wait fails at once, naming the service and the task error") {
  struct Row {
    const char* name;
    TaskScript script;
    const char* expected;
  };
  const Row rows[] = {
      {"rejected", TaskScript{.reject = "No such image: web:1"},
       "service \"demo_web\": task demo_web.1 rejected: No such image: web:1"},
      {"failed", TaskScript{.polls_until_running = 1, .fail = true},
       "task demo_web.1 failed: task: non-zero exit (1) (exit code 1)"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    Fixture f;
    f.swarm.script(f.imageId("web:1"), row.script);
    DeployOptions wait;
    wait.wait = true;
    wait.wait_timeout = std::chrono::seconds(60);  // failing must not take this long
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH_AS(f.deploy(kWebapp, wait), doctest::Contains(row.expected), Error);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

TEST_CASE("--wait fails at once when no node satisfies the placement") {
  Fixture f;
  DeployOptions wait;
  wait.wait = true;
  CHECK_THROWS_WITH_AS(f.deploy("services: {web: {image: web:1, deploy: {placement: {constraints: "
                                "[node.labels.gpu==yes]}}}}",
                                wait),
                       doctest::Contains("cannot be scheduled: no suitable node"), Error);
}

TEST_CASE("--wait times out naming what did not converge") {
  Fixture f;
  f.swarm.script(f.imageId("web:1"), TaskScript{.polls_until_running = 100000});
  DeployOptions wait;
  wait.wait = true;
  wait.wait_timeout = std::chrono::milliseconds(500);
  try {
    f.deploy("services: {web: {image: web:1}}", wait);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Timeout);
    CHECK(std::string(error.what()).find("demo_web (0/1 running)") != std::string::npos);
  }
}

TEST_CASE("changed secret data moves the services to a new secret and removes the old one") {
  Fixture f;
  f.deploy(kWebapp);
  f.dir.write("db_password.txt", "correct-horse");
  f.deploy(kWebapp);
  auto web = f.swarm.service("demo_web");
  const std::string name =
      web->spec["TaskTemplate"]["ContainerSpec"]["Secrets"][0]["SecretName"].get<std::string>();
  CHECK(name.rfind("demo_db_password-", 0) == 0);
  CHECK(f.swarm.secretData(name) == std::optional<std::string>("correct-horse"));
  CHECK_FALSE(f.swarm.secretData("demo_db_password"));
}

TEST_CASE("a swarm of several nodes cannot run an image only this machine has") {
  Fixture f;
  f.swarm.addNode({"node2id", "worker-2", "worker", "active", "ready", {}});
  CHECK_THROWS_WITH_AS(f.deploy("services: {web: {image: web:1}}"),
                       doctest::Contains("exists only on this machine"), Error);
  CHECK(f.swarm.writes().empty());
}

TEST_CASE("with --push a built image goes to its registry and runs by digest") {
  Fixture f;
  f.dir.write("Dockerfile", "FROM scratch\n");
  DeployOptions push;
  push.push = true;
  f.deploy("services: {web: {build: ., image: \"registry.local:5000/web:1\"}}", push);
  const std::string image =
      f.swarm.service("demo_web")->spec["TaskTemplate"]["ContainerSpec"]["Image"];
  CHECK(image.rfind("registry.local:5000/web:1@sha256:", 0) == 0);
  CHECK(f.engine.registry().has("registry.local:5000/web:1"));
  Fixture unnamed;
  unnamed.dir.write("Dockerfile", "FROM scratch\n");
  CHECK_THROWS_WITH_AS(unnamed.deploy("services: {web: {build: .}}", push),
                       doctest::Contains("names none to push it as"), Error);
}

TEST_CASE("views and removal: by label, never volumes or external networks") {
  Fixture f;
  runtime::NetworkCreateRequest corp;
  corp.name = "corp-net";
  corp.driver = "overlay";
  auto create = [&]() -> boost::asio::awaitable<std::string> {
    co_return co_await f.engine.createNetwork(corp);
  };
  testing::run(f.io, create());
  f.deploy(R"(
services:
  web: {image: web:1, ports: ["8080:80"], networks: [default, corp], secrets: [db_password]}
  db: {image: db:1, volumes: [data:/var/lib/db]}
networks:
  corp: {external: true, name: corp-net}
volumes:
  data: {}
secrets:
  db_password: {file: ./db_password.txt}
)");
  auto services = testing::run(f.io, stackServices(f.swarm, "demo"));
  REQUIRE(services.size() == 2);
  CHECK(services[0].name == "demo_db");
  CHECK(services[1].replicas == "1/1");
  CHECK(services[1].ports == "*:8080->80/tcp");
  CHECK(services[1].image == "web:1");
  auto tasks = testing::run(f.io, stackTasks(f.swarm, "demo"));
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[1].name == "demo_web.1");
  CHECK(tasks[1].node == "fake-node");
  auto stacks = testing::run(f.io, listStacks(f.swarm));
  REQUIRE(stacks.size() == 1);
  CHECK(stacks[0].services == 2);
  CHECK(testing::run(f.io, removeStack(f.engine, f.swarm, f.progress, "demo", RemoveOptions{})));
  CHECK_FALSE(f.swarm.service("demo_web"));
  CHECK_FALSE(f.swarm.secretData("demo_db_password"));
  CHECK_FALSE(f.engine.state().network("demo_default"));
  CHECK(f.engine.state().network("corp-net"));
  CHECK_FALSE(
      testing::run(f.io, removeStack(f.engine, f.swarm, f.progress, "demo", RemoveOptions{})));
}

}  // namespace
}  // namespace stack::swarm
