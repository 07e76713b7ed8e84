#include "orchestrator/compose/dotenv.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"

using namespace stack::orchestrator::compose;

namespace {
LookupFn none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

TEST_CASE("dotenv quoting rules") {
  auto env = parseDotenv(
      "# comment\n"
      "PLAIN=value # trailing comment\n"
      "HASH=a#b\n"
      "SINGLE='literal $PLAIN \\n'\n"
      "DOUBLE=\"line\\nnext $PLAIN \\$HOME\"\n"
      "export EXPORTED=yes\n"
      "COLON: spaced\n"
      "REF=${PLAIN}-x\n"
      "MULTI=\"a\nb\"\n"
      "EMPTY=\n",
      ".env", none);
  CHECK(env["PLAIN"] == "value");
  CHECK(env["HASH"] == "a#b");
  CHECK(env["SINGLE"] == "literal $PLAIN \\n");
  CHECK(env["DOUBLE"] == "line\nnext value $HOME");
  CHECK(env["EXPORTED"] == "yes");
  CHECK(env["COLON"] == "spaced");
  CHECK(env["REF"] == "value-x");
  CHECK(env["MULTI"] == "a\nb");
  CHECK(env["EMPTY"] == "");
}

TEST_CASE("dotenv: bare names inherit, the environment wins in references") {
  LookupFn os = [](const std::string& name) -> std::optional<std::string> {
    if (name == "FROM_OS") return "os";
    return std::nullopt;
  };
  auto env = parseDotenv("FROM_OS\nMISSING\nUSE=$FROM_OS\n", ".env", os);
  CHECK(env["FROM_OS"] == "os");
  CHECK(env.count("MISSING") == 0);
  CHECK(env["USE"] == "os");
}

TEST_CASE("dotenv errors name the line") {
  try {
    parseDotenv("A=1\nB=\"open\n", "my.env", none);
    FAIL("expected an error");
  } catch (const stack::Error& error) {
    CHECK(error.location().file == "my.env");
    CHECK(error.location().line == 2);
    CHECK(error.message() == "unterminated quoted value");
  }
  CHECK_THROWS_AS(parseDotenv("BAD KEY=1\n", "e", none), stack::Error);
  CHECK_THROWS_AS(parseDotenv("A=${X:?need X}\n", "e", none), stack::Error);
}

TEST_CASE("only regular files are read") {
  CHECK_THROWS_AS(readTextFile("/dev/zero"), stack::Error);
  CHECK_THROWS_AS(readTextFile("/nonexistent/file"), stack::Error);
}
