// `stack cp`: docker cp's path rules (pure), and copyFiles against the FakeEngine and
// FakeContainerArchive with real local files in a temporary directory.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "orchestrator/container_copy.hpp"
#include "orchestrator/copy_paths.hpp"
#include "orchestrator/project_controller.hpp"
#include "runtime/fake/fake_container_archive.hpp"
#include "runtime/local_archive.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

namespace fs = std::filesystem;
using orchestrator::CopyDestination;
using orchestrator::CopySource;
using orchestrator::ProjectController;
using runtime::Awaitable;
using runtime::fake::testing::errorKindOf;
using runtime::fake::testing::Fixture;

TEST_CASE("cp arguments: SERVICE:PATH, and local paths that hold a colon") {
  CHECK(orchestrator::parseCopyArgument("web:/etc/hosts").service == "web");
  CHECK(orchestrator::parseCopyArgument("web:/etc/hosts").path == "/etc/hosts");
  CHECK(orchestrator::parseCopyArgument("/abs:x").service.empty());
  CHECK(orchestrator::parseCopyArgument("./a:b").service.empty());
  CHECK(orchestrator::parseCopyArgument("file").path == "file");
  CHECK(orchestrator::parseCopyArgument("-").service.empty());
}

TEST_CASE("cp paths: clean, split and directory assertions as Go's filepath") {
  CHECK(orchestrator::cleanPath("/a//b/./c/../") == "/a/b");
  CHECK(orchestrator::cleanPath("") == ".");
  CHECK(orchestrator::splitPathDirEntry("/a/b/") == std::pair<std::string, std::string>{"/a", "b"});
  CHECK(orchestrator::splitPathDirEntry("/a/.") == std::pair<std::string, std::string>{"/a", "."});
  CHECK(orchestrator::assertsDirectory("/x/"));
  CHECK(orchestrator::assertsDirectory("/x/."));
  CHECK_FALSE(orchestrator::assertsDirectory("/x"));
  CHECK(orchestrator::resolveLinkTarget("/etc/link", "../usr/x") == "/usr/x");
  CHECK(orchestrator::resolveLinkTarget("/etc/link", "/abs") == "/abs");
}

TEST_CASE("cp placement: into a directory, onto a file, to a new name") {
  const CopySource file{"/src/f", false, ""};
  const CopySource dir{"/src/d", true, ""};
  auto into = orchestrator::placeCopy(file, CopyDestination{"/dst", true, true});
  CHECK(into.directory == "/dst");
  CHECK(into.top_name.empty());
  auto onto = orchestrator::placeCopy(file, CopyDestination{"/dst/g", true, false});
  CHECK(onto.directory == "/dst");
  CHECK(onto.top_name == "g");
  auto fresh = orchestrator::placeCopy(dir, CopyDestination{"/dst/new", false, false});
  CHECK(fresh.directory == "/dst");
  CHECK(fresh.top_name == "new");
}

TEST_CASE("cp placement refuses a directory onto a file and a file into a missing directory") {
  const CopySource file{"/src/f", false, ""};
  const CopySource dir{"/src/d", true, ""};
  CHECK_THROWS_WITH(orchestrator::placeCopy(dir, CopyDestination{"/dst/g", true, false}),
                    "cannot copy directory");
  CHECK_THROWS_WITH(orchestrator::placeCopy(file, CopyDestination{"/nope/", false, false}),
                    "no such directory");
}

// A temporary local directory, removed at the end.
struct LocalDir {
  LocalDir() {
    path = fs::temp_directory_path() /
           ("stack-cp-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~LocalDir() { fs::remove_all(path); }
  void write(const std::string& relative, const std::string& content) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << content;
  }
  std::string read(const std::string& relative) const {
    std::ifstream in(path / relative);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static inline int counter = 0;
  fs::path path;
};

struct Demo {
  Demo() {
    fixture.image("app:1");
    project = stack::test::project({service("web")});
    project.services.at("web").scale = 2;
  }
  void run(std::function<Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }
  void up() {
    run([&]() -> Awaitable<void> {
      const orchestrator::planner::UpOptions options;
      co_await controller.up(project, options);
    });
  }
  orchestrator::CopyRequest request(std::string source, std::string destination) {
    orchestrator::CopyRequest out;
    out.source = std::move(source);
    out.destination = std::move(destination);
    return out;
  }
  std::optional<runtime::ArchiveEntry> file(const std::string& container, const std::string& path) {
    return archive.file(container, path);
  }
  Awaitable<void> copy(const orchestrator::CopyRequest& request) {
    co_await orchestrator::copyFiles(fixture.engine, archive, progress, "demo", &project, request,
                                     streams);
  }

  orchestrator::compose::Project project;
  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  ProjectController controller{fixture.engine, progress};
  runtime::fake::FakeContainerArchive archive{fixture.engine};
  orchestrator::CopyStreams streams;
};

TEST_CASE("cp into a service copies a directory into every container, and back out") {
  Demo demo;
  demo.up();
  LocalDir local;
  local.write("conf/app.ini", "port=80\n");
  local.write("conf/sub/extra", "x");
  demo.run([&]() -> Awaitable<void> {
    const auto in = demo.request((local.path / "conf").string(), "web:/");
    co_await demo.copy(in);
  });
  for (const char* container : {"demo-web-1", "demo-web-2"}) {
    auto copied = demo.file(container, "/conf/app.ini");
    REQUIRE(copied.has_value());
    CHECK(copied->content == "port=80\n");
    CHECK(demo.file(container, "/conf/sub/extra").has_value());
  }
  LocalDir out;
  demo.run([&]() -> Awaitable<void> {
    const auto back = demo.request("web:/conf", (out.path / "copy").string());
    co_await demo.copy(back);
  });
  CHECK(out.read("copy/app.ini") == "port=80\n");
  CHECK(out.read("copy/sub/extra") == "x");
}

TEST_CASE("cp of a file to a new name, and --index picks one container") {
  Demo demo;
  demo.up();
  LocalDir local;
  local.write("a.txt", "alpha");
  demo.run([&]() -> Awaitable<void> {
    auto in = demo.request((local.path / "a.txt").string(), "web:/renamed.txt");
    in.index = 2;
    co_await demo.copy(in);
  });
  CHECK_FALSE(demo.file("demo-web-1", "/renamed.txt").has_value());
  REQUIRE(demo.file("demo-web-2", "/renamed.txt").has_value());
  CHECK(demo.file("demo-web-2", "/renamed.txt")->content == "alpha");
}

TEST_CASE("cp to stdout writes the engine's tar archive") {
  Demo demo;
  demo.up();
  LocalDir local;
  local.write("b.txt", "beta");
  std::string tar;
  demo.streams.write_stdout = [&](std::string_view bytes) { tar.append(bytes); };
  demo.run([&]() -> Awaitable<void> {
    const auto in = demo.request((local.path / "b.txt").string(), "web:/");
    co_await demo.copy(in);
    const auto out = demo.request("web:/b.txt", "-");
    co_await demo.copy(out);
  });
  const auto files = runtime::entriesOf(tar);
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "b.txt");
  CHECK(files[0].content == "beta");
}

TEST_CASE("cp fails clearly: unknown service, no container, missing paths, two services") {
  Demo demo;
  LocalDir local;
  auto kindOf = [&](orchestrator::CopyRequest request) {
    ErrorKind kind = ErrorKind::Internal;
    demo.run([&]() -> Awaitable<void> {
      kind = co_await errorKindOf([&]() -> Awaitable<void> { co_await demo.copy(request); });
    });
    return kind;
  };
  CHECK(kindOf(demo.request("db:/x", ".")) == ErrorKind::Usage);
  CHECK(kindOf(demo.request("web:/x", ".")) == ErrorKind::NotFound);
  CHECK(kindOf(demo.request("web:/x", "web:/y")) == ErrorKind::Usage);
  CHECK(kindOf(demo.request("a", "b")) == ErrorKind::Usage);
  demo.up();
  CHECK(kindOf(demo.request("web:/missing", local.path.string())) == ErrorKind::NotFound);
  CHECK(kindOf(demo.request((local.path / "nope").string(), "web:/")) == ErrorKind::Io);
  auto nine = demo.request("web:/", local.path.string());
  nine.index = 9;
  CHECK(kindOf(nine) == ErrorKind::NotFound);
}

}  // namespace
}  // namespace stack::test
