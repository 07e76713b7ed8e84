#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

MountSpec volumeMount(const std::string& source, const std::string& target) {
  MountSpec m;
  m.type = "volume";
  m.source = source;
  m.target = target;
  return m;
}

TEST_CASE("volumes: create is idempotent and in-use volumes cannot be removed") {
  Fixture f;
  f.image("db:1");
  f.run([&]() -> Awaitable<void> {
    VolumeCreateRequest v;
    v.name = "data";
    v.labels = {{"owner", "test"}};
    const auto first = co_await f.engine.createVolume(v);
    v.labels = {{"owner", "other"}};
    const auto second = co_await f.engine.createVolume(v);
    CHECK(second.labels.at("owner") == "test");
    CHECK(first.mountpoint == "/var/lib/docker/volumes/data/_data");
    auto r = request("db", "db:1");
    r.host_config.binds = {"data:/var/lib/db"};
    co_await f.engine.createContainer(r);
    CHECK(KIND_OF(f.engine.removeVolume("data", false)) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.removeVolume("data", true)) == ErrorKind::Conflict);
    co_await f.engine.removeContainer("db", RemoveOptions{false, true});
    CHECK(f.engine.state().volume("data"));  // named volumes survive rm -v
    co_await f.engine.removeVolume("data", false);
    CHECK(KIND_OF(f.engine.inspectVolume("data")) == ErrorKind::NotFound);
    CHECK(KIND_OF(f.engine.removeVolume("data", false)) == ErrorKind::NotFound);
    co_await f.engine.removeVolume("data", true);  // force ignores a missing volume
  });
  CHECK(eventsOf(f.engine, "volume").size() == 2);  // create, destroy
}

TEST_CASE("volumes named in mounts are created with the container - anonymous ones go with rm -v") {
  Fixture f;
  f.image("db:1");
  f.run([&]() -> Awaitable<void> {
    auto r = request("db", "db:1");
    MountSpec named = volumeMount("p_data", "/data");
    named.volume_labels = {{"com.docker.compose.volume", "data"}};
    r.host_config.mounts = {named, volumeMount("", "/scratch")};
    co_await f.engine.createContainer(r);
    const auto volumes = f.engine.state().volumes();
    REQUIRE(volumes.size() == 2);
    const auto data = f.engine.state().volume("p_data");
    REQUIRE(data);
    CHECK(data->labels.at("com.docker.compose.volume") == "data");
    CHECK(f.engine.state().volumeUsers("p_data") == std::vector<std::string>{"db"});
    const auto d = co_await f.engine.inspectContainer("db");
    REQUIRE(d.mounts.size() == 2);
    CHECK(d.mounts[1].name.size() == 64);
    co_await f.engine.startContainer("db");
    co_await f.engine.removeContainer("db", RemoveOptions{true, true});
    CHECK(f.engine.state().volumes().size() == 1);
    CHECK(f.engine.state().volume("p_data"));
    auto dup = request("dup", "db:1");
    dup.host_config.binds = {"a1:/x", "a2:/x"};
    CHECK(KIND_OF(f.engine.createContainer(dup)) == ErrorKind::Engine);
  });
  const auto events = eventsOf(f.engine, "volume");
  CHECK(std::count_if(events.begin(), events.end(),
                      [](const std::string& e) { return e.rfind("mount", 0) == 0; }) == 2);
}

TEST_CASE("images: removal is refused while containers use the image") {
  Fixture f;
  const std::string id = f.image("app:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createContainer(request("app", "app:1"));
    CHECK(KIND_OF(f.engine.removeImage("app:1", false)) == ErrorKind::Conflict);
    co_await f.engine.startContainer("app");
    CHECK(KIND_OF(f.engine.removeImage(id, true)) == ErrorKind::Conflict);  // running
    co_await f.engine.stopContainer("app", 1);
    CHECK(KIND_OF(f.engine.removeImage(id, false)) == ErrorKind::Conflict);  // stopped
    const auto removed = co_await f.engine.removeImage(id, true);
    CHECK(removed.untagged == std::vector<std::string>{"app:1"});
    CHECK(removed.deleted == std::vector<std::string>{id});
    CHECK(KIND_OF(f.engine.inspectImage("app:1")) == ErrorKind::NotFound);
  });
}

TEST_CASE("images: tags move between images and removing one of several tags only untags") {
  Fixture f;
  const std::string one = f.image("app:1");
  ContainerConfig other;
  other.cmd = std::vector<std::string>{"other"};
  const std::string two = f.image("app:2", other);
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.tagImage("app:1", "app", "latest");
    co_await f.engine.tagImage("app:1", "registry.local:5000/app", "1");
    CHECK((co_await f.engine.inspectImage("app")).id == one);
    co_await f.engine.tagImage(two, "app", "latest");  // the tag moves
    CHECK((co_await f.engine.inspectImage("app:latest")).id == two);
    CHECK((co_await f.engine.inspectImage("docker.io/library/app:latest")).id == two);
    const auto untag = co_await f.engine.removeImage("registry.local:5000/app:1", false);
    CHECK(untag.untagged == std::vector<std::string>{"registry.local:5000/app:1"});
    CHECK(untag.deleted.empty());
    const auto remaining = (co_await f.engine.inspectImage(one)).repo_tags;
    CHECK(remaining == std::vector<std::string>{"app:1"});  // g++ 12: no init-list beside co_await
    ListFilter filter;
    filter.names = {"app:2"};
    CHECK((co_await f.engine.listImages(filter)).size() == 1);
    filter.names = {"app"};
    CHECK((co_await f.engine.listImages(filter)).size() == 2);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
