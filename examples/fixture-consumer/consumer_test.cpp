// Tests of a consumer of the installed stack package: a real Redis from compose.yaml,
// reached through the published ephemeral port the fixture reports, spoken to in Redis's
// own protocol (RESP) over a plain socket, as the code under test would with its client.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stack/testing/compose_fixture.hpp>
#include <stack/testing/doctest.hpp>
#include <string>
#include <vector>

namespace {

// A minimal Redis client: one connection, commands as RESP arrays, one reply per command.
class RedisConnection {
 public:
  explicit RedisConnection(const stack::Endpoint& at) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    REQUIRE(getaddrinfo(at.host.c_str(), std::to_string(at.port).c_str(), &hints, &found) == 0);
    fd_ = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    const bool connected = connect(fd_, found->ai_addr, found->ai_addrlen) == 0;
    freeaddrinfo(found);
    REQUIRE(connected);
  }
  ~RedisConnection() { close(fd_); }
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command and returns its reply's first line with the type byte ("+OK",
  // ":2", "-ERR ..."); a bulk string ("$5") is returned as its payload.
  std::string command(const std::vector<std::string>& words) {
    std::string request = "*" + std::to_string(words.size()) + "\r\n";
    for (const auto& word : words) {
      request += "$" + std::to_string(word.size()) + "\r\n" + word + "\r\n";
    }
    REQUIRE(write(fd_, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
    const std::string head = readLine();
    if (head.empty() || head[0] != '$' || head == "$-1") return head;
    return readLine();  // the values this test stores have no CR LF inside
  }

 private:
  std::string readLine() {
    std::string line;
    char byte = 0;
    while (read(fd_, &byte, 1) == 1) {
      if (byte == '\n' && !line.empty() && line.back() == '\r') {
        line.pop_back();
        return line;
      }
      line += byte;
    }
    FAIL("the connection to Redis closed before a full reply");
    return line;
  }
  int fd_ = -1;
};

struct Redis : stack::testing::DoctestCompose {
  Redis()
      : DoctestCompose(stack::testing::ComposeFixture({COMPOSE_FILE})
                           .waitFor("redis", stack::Wait::healthy())
                           .waitFor("redis", stack::Wait::port(6379))) {}
};

}  // namespace

TEST_CASE_FIXTURE(Redis, "Redis stores and returns values on its published port") {
  RedisConnection redis(fixture.endpoint("redis", 6379));
  CHECK(redis.command({"PING"}) == "+PONG");
  CHECK(redis.command({"SET", "greeting", "hello from compose"}) == "+OK");
  CHECK(redis.command({"GET", "greeting"}) == "hello from compose");
  CHECK(redis.command({"INCR", "visits"}) == ":1");
  CHECK(redis.command({"INCR", "visits"}) == ":2");
}

TEST_CASE_FIXTURE(Redis, "each test case gets a fresh Redis") {
  RedisConnection redis(fixture.endpoint("redis", 6379));
  CHECK(redis.command({"GET", "greeting"}) == "$-1");  // nothing from the other test case
}

TEST_CASE_FIXTURE(Redis, "exec runs redis-cli inside the service container") {
  RedisConnection redis(fixture.endpoint("redis", 6379));
  REQUIRE(redis.command({"SET", "from-outside", "42"}) == "+OK");
  const stack::ExecResult result = fixture.exec("redis", {"redis-cli", "GET", "from-outside"});
  CHECK(result.exit_code == 0);
  CHECK(result.stdout_text == "42\n");
}

TEST_CASE("a missing compose file is a typed error before anything starts") {
  stack::testing::ComposeFixture missing({"does-not-exist.yaml"});
  CHECK_THROWS_AS(missing.start(), stack::Error);
}

TEST_CASE("a wait that is never met fails start() naming the service, with its logs") {
  using namespace std::chrono_literals;
  stack::testing::ComposeFixture never({COMPOSE_FILE});
  never.waitFor("redis", stack::Wait::log("a line Redis never prints").timeout(3s));
  std::string message;
  try {
    never.start();
  } catch (const stack::Error& error) {
    message = error.what();
  }
  CHECK(message.find("redis") != std::string::npos);
  CHECK(message.find("Ready to accept connections") != std::string::npos);  // its last logs
}
