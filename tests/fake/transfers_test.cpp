#include <archive.h>
#include <archive_entry.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <map>

#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

// A tar build context in memory, served in small reads like a streamed upload.
class TarSource final : public BodySource {
 public:
  explicit TarSource(const std::map<std::string, std::string>& files) {
    struct archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    size_t used = 0;
    data_.resize(1 << 20);
    archive_write_open_memory(a, data_.data(), data_.size(), &used);
    for (const auto& [path, content] : files) {
      struct archive_entry* entry = archive_entry_new();
      archive_entry_set_pathname(entry, path.c_str());
      archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_write_header(a, entry);
      archive_write_data(a, content.data(), content.size());
      archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    data_.resize(used);
  }
  size_t read(char* buffer, size_t capacity) override {
    const size_t n = std::min({capacity, data_.size() - offset_, size_t(1000)});
    std::copy_n(data_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }
  bool consumed() const { return offset_ == data_.size(); }

 private:
  std::string data_;
  size_t offset_ = 0;
};

BuildRequest buildOf(std::shared_ptr<TarSource> context, std::vector<std::string> tags) {
  BuildRequest request;
  request.context = std::move(context);
  request.tags = std::move(tags);
  return request;
}

struct BuildOutcome {
  std::string text;
  std::vector<std::string> aux;
  std::string error;
  std::optional<ErrorKind> thrown;
};

Awaitable<BuildOutcome> play(ProgressStream& stream) {
  BuildOutcome out;
  try {
    while (auto m = co_await stream.next()) {
      out.text += m->stream + (m->status.empty() ? "" : m->status + "\n");
      if (!m->aux_id.empty()) out.aux.push_back(m->aux_id);
      if (!m->error.empty()) out.error = m->error;
    }
  } catch (const Error& e) {
    out.thrown = e.kind();
  }
  co_return out;
}

const char* kDockerfile =
    "# a comment\n"
    "FROM base:1 AS build\n"
    "ARG VERSION=1.0\n"
    "ENV APP_VERSION=${VERSION} \\\n"
    "    MODE=prod\n"
    "COPY src/ /app/\n"
    "RUN make\n"
    "LABEL org.example.version=$VERSION\n"
    "EXPOSE 8080\n"
    "HEALTHCHECK --interval=5s --retries=2 CMD curl -f http://localhost:8080/ || exit 1\n"
    "CMD [\"/app/server\", \"--port=8080\"]\n";

TEST_CASE("build: steps and aux id and the image config the Dockerfile describes") {
  Fixture f;
  f.image("base:1");
  auto context = std::make_shared<TarSource>(std::map<std::string, std::string>{
      {"Dockerfile", kDockerfile}, {"src/main.c", "int main() {}"}});
  f.run([&]() -> Awaitable<void> {
    auto request = buildOf(context, {"app:1", "app:latest"});
    request.build_args = {{"VERSION", "2.0"}};
    request.labels = {{"com.example.hash", "abc"}};
    auto stream = co_await f.engine.buildImage(request);
    CHECK(context->consumed());  // the daemon reads the whole context before answering
    const BuildOutcome out = co_await play(*stream);
    CHECK_FALSE(out.thrown);
    CHECK(out.text.find("Step 1/9 : FROM base:1 AS build\n") != std::string::npos);
    CHECK(out.text.find("Step 5/9 : RUN make\n ---> Running in ") != std::string::npos);
    CHECK(out.text.find("Successfully tagged app:latest\n") != std::string::npos);
    REQUIRE_FALSE(out.aux.empty());
    const auto image = co_await f.engine.inspectImage("app:1");
    CHECK(image.id == out.aux.back());
    CHECK(image.config.cmd == std::vector<std::string>{"/app/server", "--port=8080"});
    CHECK(image.config.env == std::vector<std::string>{"APP_VERSION=2.0", "MODE=prod"});
    CHECK(image.config.labels.at("org.example.version") == "2.0");
    CHECK(image.config.labels.at("com.example.hash") == "abc");
    CHECK(image.config.exposed_ports == std::vector<std::string>{"8080/tcp"});
    REQUIRE(image.config.healthcheck);
    CHECK(image.config.healthcheck->test ==
          std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"});
    CHECK(image.config.healthcheck->interval == 5s);
    CHECK(image.config.healthcheck->retries == 2);
    // The same request and content give the same image; other content another one.
    auto same = request;
    same.context = std::make_shared<TarSource>(std::map<std::string, std::string>{
        {"Dockerfile", kDockerfile}, {"src/main.c", "int main() {}"}});
    auto repeat = co_await f.engine.buildImage(same);
    CHECK((co_await play(*repeat)).aux.back() == image.id);
    auto changed = same;
    changed.context = std::make_shared<TarSource>(std::map<std::string, std::string>{
        {"Dockerfile", kDockerfile}, {"src/main.c", "int main() { return 1; }"}});
    auto other = co_await f.engine.buildImage(changed);
    CHECK((co_await play(*other)).aux.back() != image.id);
  });
}

TEST_CASE("build: failures before the stream throw - failures in it are in-band then Build") {
  Fixture f;
  f.image("base:1");
  f.engine.scripts().build("broken:1", BuildScript{.fail_at_step = 2, .fail_code = 2});
  f.run([&]() -> Awaitable<void> {
    // g++ 12 miscompiles initializer lists inside co_await expressions: build them first.
    auto context = [](std::string dockerfile) {
      return std::make_shared<TarSource>(
          std::map<std::string, std::string>{{"Dockerfile", std::move(dockerfile)}});
    };
    const auto no_dockerfile = buildOf(
        std::make_shared<TarSource>(std::map<std::string, std::string>{{"x", "y"}}), {"x:1"});
    const auto failing = buildOf(context("FROM base:1\nRUN make\n"), {"broken:1"});
    const auto copying = buildOf(context("FROM base:1\nCOPY missing.txt /\n"), {"c:1"});
    const auto orphan = buildOf(context("FROM nowhere:1\n"), {"n:1"});
    CHECK(KIND_OF(f.engine.buildImage(no_dockerfile)) == ErrorKind::Engine);
    auto broken = co_await f.engine.buildImage(failing);
    BuildOutcome out = co_await play(*broken);
    CHECK(out.error == "The command '/bin/sh -c make' returned a non-zero code: 2");
    CHECK(out.thrown == ErrorKind::Build);
    CHECK(KIND_OF(f.engine.inspectImage("broken:1")) == ErrorKind::NotFound);
    auto missing = co_await f.engine.buildImage(copying);
    out = co_await play(*missing);
    CHECK(out.error.find("COPY failed: file not found in build context") == 0);
    auto unknown = co_await f.engine.buildImage(orphan);
    out = co_await play(*unknown);
    CHECK(out.error.find("pull access denied for nowhere") == 0);
  });
}

TEST_CASE("pull: images come from the registry - unknown ones fail in-band") {
  Fixture f;
  ContainerConfig redis;
  redis.cmd = std::vector<std::string>{"redis-server"};
  f.engine.registry().add("redis:7", RegistryImage{redis, 3, 1000});
  f.run([&]() -> Awaitable<void> {
    auto pull = co_await f.engine.pullImage("redis", "7", RegistryAuth());
    BuildOutcome out = co_await play(*pull);
    CHECK_FALSE(out.thrown);
    CHECK(out.text.find("Pulling from library/redis") != std::string::npos);
    CHECK(out.text.find("Status: Downloaded newer image for redis:7") != std::string::npos);
    const auto image = co_await f.engine.inspectImage("redis:7");
    CHECK(image.config.cmd == std::vector<std::string>{"redis-server"});
    REQUIRE(image.repo_digests.size() == 1);
    auto again = co_await f.engine.pullImage("redis", "7", RegistryAuth());
    CHECK((co_await play(*again)).text.find("Image is up to date for redis:7") !=
          std::string::npos);
    auto missing = co_await f.engine.pullImage("nope", "1", RegistryAuth());
    out = co_await play(*missing);
    CHECK(out.error.find("pull access denied for nope") == 0);
    CHECK(out.thrown == ErrorKind::Engine);
    auto no_tag = co_await f.engine.pullImage("redis", "6", RegistryAuth());
    CHECK((co_await play(*no_tag)).error ==
          "manifest for redis:6 not found: manifest unknown: manifest unknown");
    CHECK(KIND_OF(f.engine.pullImage("redis", "", RegistryAuth())) == ErrorKind::Internal);
  });
  CHECK(eventsOf(f.engine, "image").front() == "pull redis:7");
}

TEST_CASE("pull and push with credentials - a push lands in the registry") {
  Fixture f;
  f.image("registry.local:5000/app:1");
  f.engine.registry().requireAuth("registry.local:5000/app", RegistryAuth{"me", "secret", "", ""});
  f.run([&]() -> Awaitable<void> {
    auto denied = co_await f.engine.pushImage("registry.local:5000/app", "1", RegistryAuth());
    CHECK((co_await play(*denied)).error == "unauthorized: authentication required");
    CHECK_FALSE(f.engine.registry().has("registry.local:5000/app:1"));
    const RegistryAuth auth{"me", "secret", "registry.local:5000", ""};
    auto push = co_await f.engine.pushImage("registry.local:5000/app", "1", auth);
    const BuildOutcome out = co_await play(*push);
    CHECK_FALSE(out.thrown);
    CHECK(out.text.find("The push refers to repository [registry.local:5000/app]") == 0);
    CHECK(f.engine.registry().has("registry.local:5000/app:1"));
    auto absent = co_await f.engine.pushImage("registry.local:5000/other", "1", auth);
    CHECK((co_await play(*absent)).error.find("An image does not exist locally") == 0);
    co_await f.engine.removeImage("registry.local:5000/app:1", false);
    auto pull = co_await f.engine.pullImage("registry.local:5000/app", "1", auth);
    CHECK_FALSE((co_await play(*pull)).thrown);
    CHECK((co_await f.engine.inspectImage("registry.local:5000/app:1")).repo_tags.size() == 1);
  });
}

TEST_CASE("a dropped pull has no effect") {
  Fixture f(manualClock());
  f.engine.registry().add("big:1", RegistryImage{{}, 2, 1000});
  f.engine.registry().setLayerDuration(10s);
  f.run([&]() -> Awaitable<void> {
    auto pull = co_await f.engine.pullImage("big", "1", RegistryAuth());
    co_await pull->next();
    pull->cancel();
    CHECK_FALSE(co_await pull->next());
    co_await f.engine.clock().advance(1min);
    CHECK(KIND_OF(f.engine.inspectImage("big:1")) == ErrorKind::NotFound);
  });
}

TEST_CASE("a pull waiting on a slow layer loses a race against a timer") {
  Fixture f(manualClock());
  f.engine.registry().add("big:1", RegistryImage{{}, 2, 1000});
  f.engine.registry().setLayerDuration(1h);
  f.run([&]() -> Awaitable<void> {
    auto pull = co_await f.engine.pullImage("big", "1", RegistryAuth());
    for (int i = 0; i < 3; ++i) co_await pull->next();  // "Pulling from", two "Pulling fs layer"
    boost::asio::steady_timer timer(f.io, 20ms);
    auto raced = co_await (pull->next() || timer.async_wait(boost::asio::use_awaitable));
    CHECK(raced.index() == 1);
    CHECK_FALSE(co_await pull->next());
    CHECK(f.engine.clock().pending() == 0);  // the layer's timer is gone too
  });
}

TEST_CASE("cancel() ends a pull that waits on a slow layer") {
  Fixture f(manualClock());
  f.engine.registry().add("big:1", RegistryImage{{}, 1, 1000});
  f.engine.registry().setLayerDuration(1h);
  f.run([&]() -> Awaitable<void> {
    auto pull = co_await f.engine.pullImage("big", "1", RegistryAuth());
    for (int i = 0; i < 2; ++i) co_await pull->next();
    bool ended = false;
    auto reader = [&]() -> Awaitable<void> { ended = !(co_await pull->next()).has_value(); };
    auto canceller = [&]() -> Awaitable<void> {
      co_await f.engine.clock().settle();
      CHECK_FALSE(ended);
      pull->cancel();
    };
    co_await (reader() && canceller());
    CHECK(ended);
    CHECK(f.engine.clock().pending() == 0);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
