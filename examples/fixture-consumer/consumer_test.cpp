// Tests of a consumer of the installed stack package: a real web server from compose.yaml,
// reached through the published ephemeral port the fixture reports.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stack/testing/compose_fixture.hpp>
#include <stack/testing/doctest.hpp>
#include <string>

namespace {

// One GET over a plain socket: what the code under test would do with its HTTP client.
std::string httpGet(const stack::Endpoint& at, const std::string& path) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  REQUIRE(getaddrinfo(at.host.c_str(), std::to_string(at.port).c_str(), &hints, &found) == 0);
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  const bool connected = connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  freeaddrinfo(found);
  REQUIRE(connected);
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + at.host + "\r\n\r\n";
  REQUIRE(write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) response.append(buffer, n);
  close(fd);
  return response;
}

struct Web : stack::testing::DoctestCompose {
  Web()
      : DoctestCompose(stack::testing::ComposeFixture({COMPOSE_FILE})
                           .waitFor("web", stack::Wait::http(8080, "/greeting.txt"))) {}
};

}  // namespace

TEST_CASE_FIXTURE(Web, "the web service answers on its published port") {
  const std::string response = httpGet(fixture.endpoint("web", 8080), "/greeting.txt");
  CHECK(response.rfind("HTTP/1.", 0) == 0);
  CHECK(response.substr(8, 5) == " 200 ");
  CHECK(response.find("hello from compose") != std::string::npos);
}

TEST_CASE_FIXTURE(Web, "exec runs inside the service container") {
  const stack::ExecResult result = fixture.exec("web", {"cat", "/www/greeting.txt"});
  CHECK(result.exit_code == 0);
  CHECK(result.stdout_text == "hello from compose\n");
}

TEST_CASE("a missing compose file is a typed error before anything starts") {
  stack::testing::ComposeFixture missing({"does-not-exist.yaml"});
  CHECK_THROWS_AS(missing.start(), stack::Error);
}
