#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

TEST_CASE("create: missing image / duplicate name / bad name / two networks / no command") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    CHECK(KIND_OF(f.engine.createContainer(request("aa", "nope:1"))) == ErrorKind::NotFound);
    co_await f.engine.createContainer(request("web", "web:1"));
    CHECK(KIND_OF(f.engine.createContainer(request("web", "web:1"))) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.createContainer(request("-bad", "web:1"))) == ErrorKind::Engine);
    auto two = request("two", "web:1");
    two.networks["a"] = {};
    two.networks["b"] = {};
    CHECK(KIND_OF(f.engine.createContainer(two)) == ErrorKind::Engine);
    f.engine.state().addImage(FakeImage{{"bare:1"}, {}});
    CHECK(KIND_OF(f.engine.createContainer(request("bare", "bare:1"))) == ErrorKind::Engine);
  });
  CHECK(f.engine.state().containers().size() == 1);
}

TEST_CASE("create: the error messages are dockerd's") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    const std::string id = co_await f.engine.createContainer(request("/web", "web:1"));
    try {
      co_await f.engine.createContainer(request("web", "web:1"));
      FAIL("expected a conflict");
    } catch (const Error& e) {
      CHECK(e.message() ==
            "Conflict. The container name \"/web\" is already in use by container \"" + id +
                "\". You have to remove (or rename) that container to be able to "
                "reuse that name.");
    }
    try {
      co_await f.engine.createContainer(request("xx", "missing"));
      FAIL("expected not found");
    } catch (const Error& e) {
      CHECK(e.message() == "No such image: missing:latest");
    }
  });
}

TEST_CASE("create merges the image config like dockerd") {
  Fixture f;
  ContainerConfig image;
  image.cmd = std::vector<std::string>{"serve", "--port=80"};
  image.env = {"PATH=/bin", "MODE=prod"};
  image.labels = {{"from.image", "yes"}, {"shared", "image"}};
  image.exposed_ports = {"80/tcp"};
  image.working_dir = "/app";
  f.image("web:1", image);
  f.run([&]() -> Awaitable<void> {
    auto r = request("web", "web:1");
    r.config.env = {"MODE=dev"};
    r.config.labels = {{"shared", "container"}};
    const std::string id = co_await f.engine.createContainer(r);
    const ContainerDetails d = co_await f.engine.inspectContainer("web");
    CHECK(d.id == id);
    CHECK(d.name == "web");
    CHECK(d.state.status == "created");
    CHECK(d.state.started_at == "0001-01-01T00:00:00Z");
    CHECK(d.config.cmd == std::vector<std::string>{"serve", "--port=80"});
    CHECK(d.config.env == std::vector<std::string>{"PATH=/bin", "MODE=dev"});
    CHECK(d.config.labels.at("shared") == "container");
    CHECK(d.config.labels.at("from.image") == "yes");
    CHECK(d.config.working_dir == "/app");
    CHECK(d.config.hostname == id.substr(0, 12));
    CHECK(d.raw["Name"] == "/web");
    // A user entrypoint drops the image's command.
    auto with_entrypoint = request("ep", "web:1");
    with_entrypoint.config.entrypoint = std::vector<std::string>{"/init"};
    co_await f.engine.createContainer(with_entrypoint);
    CHECK_FALSE((co_await f.engine.inspectContainer("ep")).config.cmd.has_value());
  });
}

TEST_CASE("lookups accept an id / a unique id prefix or a name with a leading slash") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    const std::string id = co_await f.engine.createContainer(request("web", "web:1"));
    CHECK((co_await f.engine.inspectContainer(id.substr(0, 12))).id == id);
    CHECK((co_await f.engine.inspectContainer("/web")).id == id);
    CHECK(KIND_OF(f.engine.inspectContainer("nothing")) == ErrorKind::NotFound);
  });
}

TEST_CASE("start / stop and kill follow dockerd's status codes") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    // stop of a never-started container is a 304: no error
    co_await f.engine.stopContainer("web", std::nullopt);
    CHECK(KIND_OF(f.engine.killContainer("web", "")) == ErrorKind::Conflict);
    co_await f.engine.startContainer("web");
    co_await f.engine.startContainer("web");  // 304: already running
    CHECK((co_await f.engine.inspectContainer("web")).state.running);
    CHECK(KIND_OF(f.engine.removeContainer("web", RemoveOptions())) == ErrorKind::Conflict);
    co_await f.engine.stopContainer("web", std::nullopt);
    co_await f.engine.stopContainer("web", std::nullopt);  // 304: not running
    const auto d = co_await f.engine.inspectContainer("web");
    CHECK(d.state.status == "exited");
    CHECK(d.state.exit_code == 143);
    CHECK(KIND_OF(f.engine.killContainer("web", "SIGTERM")) == ErrorKind::Conflict);
  });
  CHECK(eventsOf(f.engine, "container") ==
        std::vector<std::string>{"create web", "start web", "kill web", "die web", "stop web"});
}

TEST_CASE("force remove kills a running container - remove of a missing one is NotFound") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    co_await f.engine.removeContainer("web", RemoveOptions{true, false});
    CHECK(KIND_OF(f.engine.inspectContainer("web")) == ErrorKind::NotFound);
    CHECK(KIND_OF(f.engine.removeContainer("web", RemoveOptions())) == ErrorKind::NotFound);
  });
  const auto events = f.engine.state().events();
  CHECK(events.back().action == "destroy");
  bool killed = false;
  for (const auto& e : events)
    if (e.action == "die") killed = e.attributes.at("exitCode") == "137";
  CHECK(killed);
}

TEST_CASE("rename moves the name and emits rename with oldName") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.createContainer(request("db", "web:1"));
    CHECK(KIND_OF(f.engine.renameContainer("web", "db")) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.renameContainer("web", "web")) == ErrorKind::Engine);
    co_await f.engine.renameContainer("web", "web-old");
    CHECK((co_await f.engine.inspectContainer("web-old")).name == "web-old");
    co_await f.engine.createContainer(request("web", "web:1"));  // the old name is free
  });
  const auto events = f.engine.state().events();
  bool renamed = false;
  for (const auto& e : events)
    if (e.action == "rename")
      renamed = e.attributes.at("oldName") == "/web" && e.attributes.at("name") == "web-old";
  CHECK(renamed);
}

TEST_CASE("list: labels are ANDed / all=false shows only running containers / newest first") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    auto a = request("aa", "web:1");
    a.config.labels = {{"project", "p"}, {"service", "a"}};
    auto b = request("bb", "web:1");
    b.config.labels = {{"project", "p"}, {"service", "b"}};
    auto c = request("cc", "web:1");
    c.config.labels = {{"project", "q"}};
    co_await f.engine.createContainer(a);
    co_await f.engine.createContainer(b);
    co_await f.engine.createContainer(c);
    co_await f.engine.startContainer("bb");
    ListFilter filter;
    filter.labels = {"project=p"};
    auto list = co_await f.engine.listContainers(filter);
    REQUIRE(list.size() == 2);
    CHECK(list[0].name == "bb");
    CHECK(list[1].name == "aa");
    CHECK(list[0].state == "running");
    CHECK(list[0].status.rfind("Up ", 0) == 0);
    CHECK(list[1].status == "Created");
    filter.labels = {"project=p", "service=a"};
    CHECK((co_await f.engine.listContainers(filter)).size() == 1);
    filter.labels = {"project"};
    CHECK((co_await f.engine.listContainers(filter)).size() == 3);
    filter.labels = {"project=p"};
    filter.all = false;
    list = co_await f.engine.listContainers(filter);
    REQUIRE(list.size() == 1);
    CHECK(list[0].name == "bb");
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
