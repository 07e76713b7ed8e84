// The context content hash and its digest cache.

#include "runtime/context/context_hash.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "tests/runtime/context_fixture.hpp"

namespace stack::runtime::context {
namespace {

using stack::test::TempTree;

// Files older than the cache's 2-second "racy" window, so that they can be cached.
void backdate(const TempTree& t, const std::string& relative, time_t seconds = 1600000000) {
  timespec times[2] = {{seconds, 0}, {seconds, 0}};
  REQUIRE(::utimensat(AT_FDCWD, t.path(relative).c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

void makeContext(const TempTree& t) {
  t.file("Dockerfile", "FROM scratch\nCOPY . /\n");
  t.file(".dockerignore", "*.log\n");
  t.file("src/main.c", "int main(void) { return 0; }\n");
  t.file("src/util.h", "#pragma once\n", 0600);
  t.file("data/blob.bin", std::string(300 * 1024, 'b'));
  t.file("debug.log", "excluded");
  t.symlink("src/main.c", "main-link");
  for (const char* f :
       {"Dockerfile", ".dockerignore", "src/main.c", "src/util.h", "data/blob.bin", "debug.log"}) {
    backdate(t, f);
  }
}

std::string hashOf(const TempTree& t, const std::string& dockerfile = "") {
  return hashContext(BuildContext::open({t.root(), dockerfile, std::nullopt})).hexDigest();
}

TEST_CASE("the context hash ignores mtime, ownership and excluded files") {
  TempTree t;
  makeContext(t);
  const std::string base = hashOf(t);
  CHECK(base.rfind("sha256:", 0) == 0);
  CHECK(base.size() == 7 + 64);
  CHECK(hashOf(t) == base);  // stable

  backdate(t, "src/main.c", 1700000000);  // touch
  backdate(t, "src", 1700000000);
  CHECK(hashOf(t) == base);

  t.file("debug.log", "still excluded, other content");
  CHECK(hashOf(t) == base);

  if (::geteuid() == 0) {
    REQUIRE(::lchown(t.path("src/main.c").c_str(), 1234, 5678) == 0);
    REQUIRE(::lchown(t.path("main-link").c_str(), 1234, 5678) == 0);
    CHECK(hashOf(t) == base);
  } else {
    MESSAGE("not root: the chown case is not exercised");
  }
}

TEST_CASE("the context hash changes with content, mode, names, links and ignore rules") {
  struct Change {
    std::string what;
    std::function<void(const TempTree&)> apply;
  };
  std::vector<Change> changes = {
      {"content",
       [](const TempTree& t) { t.file("src/main.c", "int main(void) { return 1; }\n"); }},
      {"same size, other bytes",
       [](const TempTree& t) { t.file("data/blob.bin", std::string(300 * 1024 - 1, 'b') + "c"); }},
      {"mode",
       [](const TempTree& t) { REQUIRE(::chmod(t.path("src/util.h").c_str(), 0644) == 0); }},
      {"rename",
       [](const TempTree& t) {
         std::filesystem::rename(t.path("src/util.h"), t.path("src/util2.h"));
       }},
      {"new empty directory", [](const TempTree& t) { t.dir("newdir"); }},
      {"symlink target",
       [](const TempTree& t) {
         std::filesystem::remove(t.path("main-link"));
         t.symlink("src/util.h", "main-link");
       }},
      {".dockerignore", [](const TempTree& t) { t.file(".dockerignore", "*.log\ndata\n"); }},
      {"Dockerfile", [](const TempTree& t) { t.file("Dockerfile", "FROM scratch\n"); }},
      {"re-included file",
       [](const TempTree& t) { t.file(".dockerignore", "*.log\n!debug.log\n"); }},
  };
  for (const Change& change : changes) {
    CAPTURE(change.what);
    TempTree t;
    makeContext(t);
    const std::string before = hashOf(t);
    change.apply(t);
    CHECK(hashOf(t) != before);
  }
}

TEST_CASE("an outside Dockerfile is part of the hash, and callers can extend it") {
  TempTree t;
  t.file("ctx/a", "a");
  t.file("Dockerfile.outside", "FROM scratch\n");
  auto hashCtx = [&] {
    return hashContext(BuildContext::open({t.path("ctx"), "../Dockerfile.outside", std::nullopt}))
        .hexDigest();
  };
  const std::string before = hashCtx();
  CHECK(hashCtx() == before);
  t.file("Dockerfile.outside", "FROM busybox\n");
  CHECK(hashCtx() != before);

  auto extended = [&](const std::string& arg) {
    auto hasher =
        hashContext(BuildContext::open({t.path("ctx"), "../Dockerfile.outside", std::nullopt}));
    hasher.add("build-arg").add(arg);
    return hasher.hexDigest();
  };
  CHECK(extended("A=1") == extended("A=1"));
  CHECK(extended("A=1") != extended("A=2"));
  CHECK(extended("A=1") != hashCtx());
}

TEST_CASE("a warm digest cache hashes without reading any file content") {
  TempTree t;
  makeContext(t);
  BuildContext context = BuildContext::open({t.root(), "", std::nullopt});
  DigestCache cache;
  HashStats cold;
  const std::string digest = hashContext(context, &cache, &cold).hexDigest();
  CHECK(cold.files == 5);  // Dockerfile, .dockerignore, main.c, util.h, blob.bin
  CHECK(cold.cache_hits == 0);
  CHECK(cold.bytes_read > 300 * 1024);
  CHECK(digest == hashContext(context).hexDigest());  // the cache does not change the result

  HashStats warm;
  CHECK(hashContext(context, &cache, &warm).hexDigest() == digest);
  CHECK(warm.cache_hits == 5);
  CHECK(warm.bytes_read == 0);

  // A touched file misses the cache and is read again; the hash stays the same.
  backdate(t, "src/main.c", 1700000000);
  HashStats touched;
  CHECK(hashContext(context, &cache, &touched).hexDigest() == digest);
  CHECK(touched.cache_hits == 4);
  CHECK(touched.bytes_read == std::string("int main(void) { return 0; }\n").size());
}

TEST_CASE("files changed within the racy window are not cached") {
  TempTree t;
  makeContext(t);
  t.file("fresh.txt", "just written");
  DigestCache cache;
  BuildContext context = BuildContext::open({t.root(), "", std::nullopt});
  hashContext(context, &cache).hexDigest();
  HashStats again;
  hashContext(context, &cache, &again).hexDigest();
  CHECK(again.cache_hits == 5);
  CHECK(again.bytes_read == std::string("just written").size());
}

TEST_CASE("the digest cache persists, and a damaged file is ignored rather than trusted") {
  TempTree t;
  makeContext(t);
  BuildContext context = BuildContext::open({t.root(), "", std::nullopt});
  TempTree home;  // the cache lives outside the context
  const auto file = home.path("cache/nested/digests.bin");
  std::string digest;
  {
    DigestCache cache = DigestCache::load(file);
    CHECK(cache.size() == 0);
    digest = hashContext(context, &cache).hexDigest();
    cache.save(file);
  }
  HashStats loaded;
  DigestCache cache = DigestCache::load(file);
  CHECK(cache.size() == 5);
  CHECK(hashContext(context, &cache, &loaded).hexDigest() == digest);
  CHECK(loaded.bytes_read == 0);

  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto writeBytes = [&](const std::string& content) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
  };
  std::string flipped = bytes;
  flipped[40] = static_cast<char>(flipped[40] ^ 1);
  std::vector<std::string> damaged = {flipped,     bytes.substr(0, bytes.size() - 1),
                                      bytes + "x", "",
                                      "STKDGC01",  std::string(bytes.size(), '\0')};
  for (const std::string& content : damaged) {
    CAPTURE(content.size());
    writeBytes(content);
    DigestCache broken = DigestCache::load(file);
    CHECK(broken.size() == 0);
    CHECK(hashContext(context, &broken).hexDigest() == digest);
  }

  // The size bound keeps the most recently used entries.
  DigestCache small(2);
  hashContext(context, &small).hexDigest();
  small.save(file);
  CHECK(DigestCache::load(file, 2).size() == 2);
}

}  // namespace
}  // namespace stack::runtime::context
