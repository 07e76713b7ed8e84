// The webapp demo end to end (examples/webapp-db), driven through the real `stack` binary:
// bring it up with `stack up --wait`, add items over HTTP, take it down and up again and
// find them still there (named volume), and check that the page renders in headless
// Chromium. The docker CLI is the independent observer of containers and volumes.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/demo_support.hpp"
#include "tests/e2e/png_image.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// `stack up --wait`, failing the test with what stack said and what this test needs.
void upAndWait(const TestProject& project, int port) {
  auto up = project.stack({"up", "--wait"}, {.env = {{"WEB_PORT", std::to_string(port)}},
                                             .timeout = std::chrono::seconds(600)});
  REQUIRE_MESSAGE(up.exit_code == 0,
                  "`stack up --wait` failed (exit "
                      << up.exit_code << "). This test needs stack to build the images from the "
                      << "example's `build:` sections and to wait for the services' health "
                      << "(`up --wait`).\nstderr:\n"
                      << up.err << "\nstdout:\n"
                      << up.out);
}

std::string inspect(const TestProject& project, const std::string& container,
                    const std::string& format) {
  auto result = project.docker({"inspect", "--format", format, container});
  auto values = lines(result.out);
  return values.empty() ? "" : values.front();
}

std::set<std::string> itemNames(int port) {
  auto listed = httpRequest(port, "GET", "/api/items");
  REQUIRE_MESSAGE(listed.status == 200, listed.error << listed.body);
  std::set<std::string> names;
  for (const auto& item : nlohmann::json::parse(listed.body)) names.insert(item.at("name"));
  return names;
}

bool volumeExists(const TestProject& project, const std::string& volume) {
  return project.docker({"volume", "inspect", volume}).exit_code == 0;
}

// What tells a rendered page from a blank or broken one: the page's size, many pixels
// that differ from the background, the anti-aliased text's many colours, and the
// header's blue (#2b6cb0) from the page's stylesheet.
void checkScreenshot(const std::string& png_path) {
  PngImage image;
  REQUIRE_NOTHROW(image = decodePng(readFile(png_path)));
  CHECK(image.width == 1024);
  CHECK(image.height == 768);
  std::map<uint32_t, size_t> histogram;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) ++histogram[image.rgb(x, y)];
  }
  const auto background = std::max_element(histogram.begin(), histogram.end(),
                                           [](auto& a, auto& b) { return a.second < b.second; });
  const size_t total = size_t{image.width} * image.height;
  const size_t others = total - background->second;
  MESSAGE("screenshot: " << histogram.size() << " colours, " << (100 * others / total)
                         << "% of the pixels differ from the background");
  CHECK(histogram.size() >= 32);
  CHECK(others * 100 >= total * 3);
  const auto blue = histogram.find(0x2b6cb0);
  CHECK_MESSAGE((blue != histogram.end() && blue->second * 100 >= total),
                "the header's blue covers less than 1% of the page: its CSS did not apply");
}

}  // namespace

TEST_CASE("webapp-db: up --wait, items over HTTP survive down and up, Chromium renders the page") {
  requireEngine();
  requireDemoBaseImage();
  ExampleProject project("webapp-db");
  const int port = freeLoopbackPort();
  const std::string name = project.name();

  // 1. Bring the demo up: up --wait returns once web is healthy.
  upAndWait(project, port);
  for (const char* service : {"db", "redis", "web"}) {
    const Readiness readiness = readyNow(project, name + "-" + service + "-1");
    CHECK_MESSAGE(readiness.ready, service << " is not ready after up --wait: " << readiness.why);
  }
  CHECK(inspect(project, name + "-migrate-1", "{{.State.Status}} {{.State.ExitCode}}") ==
        "exited 0");
  CHECK(inspect(project, name + "-web-1", "{{json .HostConfig.PortBindings}}") ==
        R"({"8000/tcp":[{"HostIp":"127.0.0.1","HostPort":")" + std::to_string(port) + "\"}]}");
  auto health = httpGetExpecting(port, "/health", 200, 5);
  REQUIRE_MESSAGE(health.status == 200,
                  "GET /health after up --wait: " << health.error << health.body);
  CHECK(nlohmann::json::parse(health.body) == nlohmann::json{{"postgres", "ok"}, {"redis", "ok"}});
  auto ps = project.stack({"ps"});
  CHECK(ps.exit_code == 0);
  CHECK(contains(ps.out, name + "-web-1"));

  // A second up --wait changes nothing.
  const auto containers = project.containerIds();
  upAndWait(project, port);
  CHECK(project.containerIds() == containers);

  // 2. Add items over HTTP: through the JSON API and through the page's form.
  const std::string item = "e2e item " + name;
  const std::string markup = "<script>alert(1)</script> & \"quoted\"";
  for (const auto& item_name : {item, markup}) {
    auto added = httpRequest(port, "POST", "/api/items", nlohmann::json{{"name", item_name}}.dump(),
                             "application/json");
    REQUIRE_MESSAGE(added.status == 201, added.error << added.body);
    CHECK(nlohmann::json::parse(added.body).at("name") == item_name);
  }
  auto form = httpRequest(port, "POST", "/items", "name=from+the+form",
                          "application/x-www-form-urlencoded");
  CHECK(form.status == 303);
  CHECK(form.location == "http://127.0.0.1:" + std::to_string(port) + "/");
  CHECK(httpRequest(port, "POST", "/api/items", "{\"name\": \"\"}", "application/json").status ==
        400);
  CHECK(itemNames(port) == std::set<std::string>{item, markup, "from the form"});
  auto page = httpRequest(port, "GET", "/");
  REQUIRE(page.status == 200);
  CHECK(contains(page.body, item));
  CHECK(contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"));
  CHECK_FALSE(contains(page.body, "<script>"));

  // 3. Restart the stack: down keeps the named volume, so the items are still there.
  auto down = project.stack({"down"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(project.containerIds().empty());
  REQUIRE_MESSAGE(volumeExists(project, name + "_pgdata"), "stack down removed the volume");
  upAndWait(project, port);
  CHECK(itemNames(port) == std::set<std::string>{item, markup, "from the form"});

  // 4. The page in headless Chromium: the rendered DOM holds the item, the screenshot is
  // the page and not a blank one.
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto dom = runChromium(url, project.dir() + "/chromium-dom", {"--dump-dom"});
  REQUIRE_MESSAGE(dom.exit_code == 0, "chromium --dump-dom failed:\n" << dom.err);
  CHECK(contains(dom.out, "<span class=\"name\">" + item + "</span>"));
  CHECK(contains(dom.out, "id=\"visits\""));
  const std::string png = project.dir() + "/page.png";
  auto shot = runChromium(url, project.dir() + "/chromium-shot", {"--screenshot=" + png});
  REQUIRE_MESSAGE(shot.exit_code == 0, "chromium --screenshot failed:\n" << shot.err);
  REQUIRE_MESSAGE(std::filesystem::exists(png), "chromium wrote no screenshot:\n" << shot.err);
  checkScreenshot(png);

  // down -v removes the volume, and the items with it.
  auto down_v = project.stack({"down", "-v"});
  REQUIRE_MESSAGE(down_v.exit_code == 0, down_v.err);
  CHECK_FALSE(volumeExists(project, name + "_pgdata"));
}

}  // namespace stack::test
