// The build context tar stream, read back with libarchive.

#include "runtime/context/context_tar.hpp"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/error.hpp"
#include "runtime/context/build_context.hpp"
#include "tests/runtime/context_fixture.hpp"

namespace stack::runtime::context {
namespace {

using stack::test::drain;
using stack::test::listTar;
using stack::test::namesOf;
using stack::test::TempTree;

std::vector<test::TarEntry> tarOf(const BuildContext& context, size_t chunk = 65536) {
  auto source = context.tar();
  return listTar(drain(*source, chunk));
}

TEST_CASE("the tar holds names, modes, links and metadata as the docker CLI sends them") {
  TempTree t;
  t.file("Dockerfile", "FROM scratch\n");
  t.file("bin/tool", "#!/bin/sh\n", 0755);
  t.file("bin/private", "secret", 0640);
  t.file("a.txt", "a");
  t.dir("a");
  t.file("a/inner", "x");
  t.dir("empty");
  t.symlink("../../../etc/passwd", "escape");  // stored as a link, never followed
  t.symlink("bin", "bin-link");                // a link to a directory is not entered
  REQUIRE(::link(t.path("a.txt").c_str(), t.path("z-hard").c_str()) == 0);
  REQUIRE(::mkfifo(t.path("fifo").c_str(), 0644) == 0);
  timespec times[2] = {{1600000000, 999999999}, {1600000000, 999999999}};
  REQUIRE(::utimensat(AT_FDCWD, t.path("a.txt").c_str(), times, 0) == 0);

  BuildContext context = BuildContext::open({t.root(), "", std::nullopt});
  CHECK(context.dockerfile() == "Dockerfile");
  CHECK_FALSE(context.dockerfileGenerated());
  auto entries = tarOf(context);

  // Depth first, bytewise, with a directory's name compared as "name/".
  std::vector<std::string> expected = {"Dockerfile", "a.txt",  "a/",          "a/inner",
                                       "bin-link",   "bin/",   "bin/private", "bin/tool",
                                       "empty/",     "escape", "z-hard"};
  CHECK(namesOf(entries) == expected);
  for (const auto& e : entries) {
    CAPTURE(e.name);
    CHECK(e.uid == 0);
    CHECK(e.gid == 0);
    CHECK(e.mtime_nsec == 0);
  }
  const auto* a = test::find(entries, "a.txt");
  CHECK(a->mtime == 1600000000);
  CHECK(a->content == "a");
  CHECK(a->type == 'f');
  CHECK(test::find(entries, "bin/tool")->perm == 0755);
  CHECK(test::find(entries, "bin/private")->perm == 0640);
  CHECK(test::find(entries, "bin/private")->content == "secret");
  CHECK(test::find(entries, "a/")->type == 'd');
  CHECK(test::find(entries, "escape")->type == 'l');
  CHECK(test::find(entries, "escape")->link == "../../../etc/passwd");
  CHECK(test::find(entries, "bin-link")->link == "bin");
  CHECK(test::find(entries, "z-hard")->type == 'h');
  CHECK(test::find(entries, "z-hard")->link == "a.txt");
}

TEST_CASE("sockets are left out") {
  TempTree t;
  t.file("Dockerfile", "FROM scratch\n");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socket_path = t.path("sock").string();
  REQUIRE(socket_path.size() < sizeof address.sun_path);
  std::strcpy(address.sun_path, socket_path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  auto entries = tarOf(BuildContext::open({t.root(), "", std::nullopt}));
  ::close(fd);
  CHECK(namesOf(entries) == std::vector<std::string>{"Dockerfile"});
}

TEST_CASE(".dockerignore exclusions, re-inclusions, and the files docker always sends") {
  TempTree t;
  t.file(".dockerignore",
         "# build output\nbuild\n!build/keep.txt\n*.log\n!important.log\nsecret/\n**/*.tmp\n"
         "docker/\n.dockerignore\nnode_modules\n!**/node_modules/keep\n");
  t.file("docker/Dockerfile.dev", "FROM scratch\n");
  t.file("docker/other", "x");
  t.file("build/keep.txt", "keep");
  t.file("build/drop.o", "drop");
  t.file("build/sub/keep.txt", "not re-included: the pattern is anchored");
  t.file("app.log", "log");
  t.file("important.log", "important");
  t.file("secret/key", "k");
  t.file("src/main.c", "int main;");
  t.file("src/deep/x.tmp", "tmp");
  t.file("x.tmp", "tmp");
  t.file("node_modules/keep", "docker does not enter node_modules for a ** exception");

  BuildContext context = BuildContext::open({t.root(), "docker/Dockerfile.dev", std::nullopt});
  CHECK(context.dockerfile() == "docker/Dockerfile.dev");
  auto entries = tarOf(context);
  std::vector<std::string> expected = {".dockerignore", "build/keep.txt", "docker/Dockerfile.dev",
                                       "important.log", "src/",           "src/deep/",
                                       "src/main.c"};
  CHECK(namesOf(entries) == expected);
  CHECK(test::find(entries, "build/keep.txt")->content == "keep");
}

TEST_CASE("a Dockerfile outside the context travels under a stable generated name") {
  TempTree t;
  t.file("ctx/app.txt", "app");
  t.file("ctx/.dockerignore", "*.secret");
  t.file("ctx/x.secret", "s");
  t.file("docker/Dockerfile", "FROM scratch\nCOPY app.txt /\n");

  BuildContext context = BuildContext::open({t.path("ctx"), "../docker/Dockerfile", std::nullopt});
  CHECK(context.dockerfileGenerated());
  const std::string name = context.dockerfile();
  CHECK(name.rfind(".stack-dockerfile-", 0) == 0);
  CHECK(name.size() == std::string(".stack-dockerfile-").size() + 16);
  auto entries = tarOf(context);
  CHECK(namesOf(entries) == std::vector<std::string>{".dockerignore", name, "app.txt"});
  CHECK(test::find(entries, name)->content == "FROM scratch\nCOPY app.txt /\n");
  CHECK(test::find(entries, name)->perm == 0600);
  CHECK(test::find(entries, ".dockerignore")->content == "*.secret\n" + name + "\n");
  CHECK(test::find(entries, ".dockerignore")->perm == 0644);  // the original file's mode

  // The same content gives the same name, from an absolute path too.
  BuildContext again =
      BuildContext::open({t.path("ctx"), t.path("docker/Dockerfile").string(), std::nullopt});
  CHECK(again.dockerfile() == name);

  // Without a .dockerignore one is made up that hides itself and the Dockerfile.
  std::filesystem::remove(t.path("ctx/.dockerignore"));
  entries = tarOf(BuildContext::open({t.path("ctx"), "../docker/Dockerfile", std::nullopt}));
  CHECK(test::find(entries, ".dockerignore")->content == ".dockerignore\n" + name + "\n");
  CHECK(test::find(entries, ".dockerignore")->perm == 0600);
  CHECK(test::find(entries, ".dockerignore")->mtime == 0);
  CHECK(test::find(entries, "x.secret") != nullptr);
}

TEST_CASE("an inline Dockerfile, and a symlinked one that resolves outside") {
  TempTree t;
  t.file("ctx/Dockerfile", "FROM scratch\n");
  t.file("elsewhere/Dockerfile.real", "FROM busybox\n");
  t.symlink("../elsewhere/Dockerfile.real", "ctx/Dockerfile.link");

  BuildContext inline_context =
      BuildContext::open({t.path("ctx"), "ignored", std::string("FROM alpine\n")});
  CHECK(inline_context.dockerfileGenerated());
  auto entries = tarOf(inline_context);
  CHECK(test::find(entries, inline_context.dockerfile())->content == "FROM alpine\n");
  CHECK(test::find(entries, "Dockerfile") != nullptr);

  BuildContext linked = BuildContext::open({t.path("ctx"), "Dockerfile.link", std::nullopt});
  CHECK(linked.dockerfileGenerated());
  entries = tarOf(linked);
  CHECK(test::find(entries, linked.dockerfile())->content == "FROM busybox\n");
  CHECK(test::find(entries, "Dockerfile.link")->type == 'l');  // the link itself is kept
}

TEST_CASE("lowercase dockerfile fallback and errors for missing inputs") {
  TempTree t;
  t.file("dockerfile", "FROM scratch\n");
  CHECK(BuildContext::open({t.root(), "", std::nullopt}).dockerfile() == "dockerfile");
  for (const BuildContextOptions& bad : {BuildContextOptions{t.path("missing"), "", std::nullopt},
                                         BuildContextOptions{t.root(), "Nope", std::nullopt},
                                         BuildContextOptions{t.root(), ".", std::nullopt}}) {
    try {
      BuildContext::open(bad);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Build);
      CHECK_FALSE(e.hint().empty());
    }
  }
  t.file(".dockerignore", "ok\n[\n");
  try {
    BuildContext::open({t.root(), "", std::nullopt});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Config);
    CHECK(e.location().line == 2);
  }
}

TEST_CASE("the stream is the same whatever the read size, and its buffer stays bounded") {
  TempTree t;
  t.file("Dockerfile", "FROM scratch\n");
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 2654435761u >> 24);
  t.file("big.bin", big);
  for (int i = 0; i < 50; ++i) t.file("many/f" + std::to_string(i), std::to_string(i));
  BuildContext context = BuildContext::open({t.root(), "", std::nullopt});

  auto source = std::make_shared<ContextTarSource>(context.resolved());
  std::string whole = drain(*source, 1 << 20);
  CHECK(source->bytesRead() == whole.size());
  CHECK(source->peakBuffered() <= ContextTarSource::kSliceSize + 10240 + 4096);
  CHECK(drain(*context.tar(), 7) == whole);
  auto entries = listTar(whole);
  CHECK(test::find(entries, "big.bin")->content == big);
  CHECK(entries.size() == 1 + 1 + 1 + 50);
}

TEST_CASE("a file that shrinks while it is sent fails the stream with an Io error") {
  TempTree t;
  t.file("Dockerfile", "FROM scratch\n");
  t.file("a-big", std::string(1024 * 1024, 'x'));
  auto source = BuildContext::open({t.root(), "", std::nullopt}).tar();
  char buffer[1024];
  source->read(buffer, sizeof buffer);  // the Dockerfile entry and the start of a-big
  REQUIRE(::truncate(t.path("a-big").c_str(), 10) == 0);
  auto drainAll = [&] {
    while (source->read(buffer, sizeof buffer) > 0) {
    }
  };
  try {
    drainAll();
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    CHECK(e.message().find("a-big") != std::string::npos);
  }
  CHECK_THROWS_AS(drainAll(), Error);  // and it stays failed
}

}  // namespace
}  // namespace stack::runtime::context
