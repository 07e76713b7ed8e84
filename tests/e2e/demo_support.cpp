#include "tests/e2e/demo_support.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace stack::test {
namespace fs = std::filesystem;

std::string sourceDir() {
  return STACK_SOURCE_DIR;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

ExampleProject::ExampleProject(const std::string& example)
    : TestProject(readFile(sourceDir() + "/examples/" + example + "/compose.yaml"), "e2e") {
  fs::copy(sourceDir() + "/examples/" + example, dir(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

ExampleProject::~ExampleProject() {
  stack({"down", "-v", "--remove-orphans", "-t", "1"}, {.timeout = std::chrono::seconds(120)});
  runShell("docker images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=" + name() +
           "-*' | xargs -r docker rmi >/dev/null 2>&1");
}

void requireDemoBaseImage() {
  auto built = runCommand({sourceDir() + "/scripts/build-debian-base.sh"},
                          {.timeout = std::chrono::seconds(600)});
  if (built.exit_code != 0) {
    FAIL(
        "the demo's base image stack-demo/debian:bookworm is missing and "
        "scripts/build-debian-base.sh could not build it (exit "
        << built.exit_code << "); run scripts/setup.sh --demo as root.\n"
        << built.err);
  }
}

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // the kernel picks a free one
  socklen_t length = sizeof(address);
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE_MESSAGE(bound, "cannot bind a loopback port");
  return ntohs(address.sin_port);
}

namespace {

size_t appendBody(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpResponse httpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body, const std::string& content_type) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  HttpResponse response;
  CURL* curl = initialised ? curl_easy_init() : nullptr;
  if (!curl) {
    response.error = "libcurl could not be initialised";
    return response;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_slist* headers = nullptr;
  if (!content_type.empty()) {
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // loopback only, whatever http_proxy says
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location) response.location = location;
  } else {
    response.error = std::string(method) + " " + url + ": " + error;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

HttpResponse httpGetExpecting(int port, const std::string& path, long expected, int attempts) {
  HttpResponse response;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) ::usleep(200 * 1000);
    response = httpRequest(port, "GET", path);
    if (response.status == expected) break;
  }
  return response;
}

CommandResult runChromium(const std::string& url, const std::string& profile_dir,
                          const std::vector<std::string>& extra) {
  if (runShell("command -v chromium").exit_code != 0) {
    FAIL("Debian's chromium is not installed; run scripts/setup.sh --test-tools");
  }
  std::vector<std::string> argv{"chromium",
                                "--headless",
                                "--no-sandbox",  // we run as root
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--no-proxy-server",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--hide-scrollbars",
                                "--force-device-scale-factor=1",
                                "--window-size=1024,768",
                                "--user-data-dir=" + profile_dir};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  return runCommand(argv, {.timeout = std::chrono::seconds(120)});
}

Readiness readyNow(const TestProject& project, const std::string& container) {
  Readiness readiness;
  auto status = project.docker({"inspect", "--format", "{{.State.Health.Status}}", container});
  auto test =
      project.docker({"inspect", "--format", "{{json .Config.Healthcheck.Test}}", container});
  const auto form = nlohmann::json::parse(test.out, nullptr, false);
  readiness.why = "engine health: " + status.out;
  if (!form.is_array() || form.empty()) {
    readiness.why += "; no healthcheck test: " + test.out;
    return readiness;
  }
  std::vector<std::string> args{"exec", container};
  const std::string kind = form[0].get<std::string>();
  if (kind == "CMD-SHELL") {
    args.insert(args.end(), {"/bin/sh", "-c", form[1].get<std::string>()});
  } else {
    for (size_t i = 1; i < form.size(); ++i) args.push_back(form[i].get<std::string>());
  }
  auto run = project.docker(args);
  readiness.ready = run.exit_code == 0 && status.out.find("unhealthy") == std::string::npos;
  readiness.why += "; test exit " + std::to_string(run.exit_code) + ": " + run.out + run.err;
  return readiness;
}

}  // namespace stack::test
