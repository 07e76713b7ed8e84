#include "orchestrator/compose/units.hpp"

#include <doctest/doctest.h>

using namespace stack::orchestrator::compose;
using namespace std::chrono_literals;

TEST_CASE("durations parse like compose and print like Go") {
  CHECK(parseDuration("1m30s") == Duration(90s));
  CHECK(parseDuration("1.5s") == Duration(1500ms));
  CHECK(parseDuration("2d") == Duration(48h));
  CHECK(parseDuration("500ms") == Duration(500ms));
  CHECK(parseDuration("0") == Duration(0));
  CHECK_FALSE(parseDuration("10"));
  CHECK_FALSE(parseDuration("abc"));
  CHECK_FALSE(parseDuration("5x"));
  CHECK(formatDuration(Duration(90s)) == "1m30s");
  CHECK(formatDuration(Duration(1h)) == "1h0m0s");
  CHECK(formatDuration(Duration(1500ms)) == "1.5s");
  CHECK(formatDuration(Duration(500ms)) == "500ms");
  CHECK(formatDuration(Duration(0)) == "0s");
  CHECK(formatDuration(Duration(1500)) == "1.5\xC2\xB5s");
}

TEST_CASE("byte sizes use binary units") {
  CHECK(parseByteSize("512m") == 512LL << 20);
  CHECK(parseByteSize("1g") == 1LL << 30);
  CHECK(parseByteSize("1.5GB") == 3LL << 29);
  CHECK(parseByteSize("100kb") == 102400);
  CHECK(parseByteSize("1024") == 1024);
  CHECK(parseByteSize("-1") == -1);
  CHECK_FALSE(parseByteSize("12q"));
  CHECK_FALSE(parseByteSize("m"));
}

TEST_CASE("shell words") {
  CHECK(splitShellWords("nginx -g \"daemon off;\"") ==
        std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK(splitShellWords("echo 'a b' c\\ d") == std::vector<std::string>{"echo", "a b", "c d"});
  CHECK(splitShellWords("  ") == std::vector<std::string>{});
  CHECK_FALSE(splitShellWords("echo 'open"));
}

TEST_CASE("did you mean") {
  CHECK(closestMatch("imgae", {"image", "build", "ports"}) == "image");
  CHECK(closestMatch("enviroment", {"environment", "entrypoint"}) == "environment");
  CHECK_FALSE(closestMatch("zzzzzz", {"image", "build"}));
}
