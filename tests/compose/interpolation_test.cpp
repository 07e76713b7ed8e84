#include "orchestrator/compose/interpolation.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace stack::orchestrator::compose;

namespace {
LookupFn env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}
std::string sub(const std::string& text, const LookupFn& lookup) {
  auto result = substitute(text, lookup);
  REQUIRE_FALSE(result.error);
  return result.text;
}
}  // namespace

TEST_CASE("interpolation forms") {
  auto lookup = env({{"SET", "v"}, {"EMPTY", ""}});
  CHECK(sub("$SET ${SET}", lookup) == "v v");
  CHECK(sub("${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", lookup) == "d d  d");
  CHECK(sub("${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}", lookup) == "alt  alt ");
  CHECK(sub("${UNSET:-${ALSO:-${SET}}}", lookup) == "v");
  CHECK(sub("$$SET $$ $", lookup) == "$SET $ $");
  CHECK(sub("a$1b", lookup) == "a$1b");
  CHECK(sub("${SET}x${SET}", lookup) == "vxv");
}

TEST_CASE("unset variables are reported") {
  auto result = substitute("${A} $B ${C:-x}", env({}));
  CHECK(result.text == "  x");
  CHECK(result.unset == std::vector<std::string>{"A", "B"});
}

TEST_CASE("required variables and invalid templates") {
  auto lookup = env({{"EMPTY", ""}});
  auto missing = substitute("${NEED:?please set NEED}", lookup);
  REQUIRE(missing.error);
  CHECK(*missing.error == "required variable NEED is missing a value: please set NEED");
  CHECK(substitute("${EMPTY:?x}", lookup).error);
  CHECK_FALSE(substitute("${EMPTY?x}", lookup).error);
  CHECK(substitute("${NEED?}", lookup).error == "required variable NEED is missing a value");
  CHECK(substitute("${", lookup).error);
  CHECK(substitute("${A B}", lookup).error);
  CHECK(substitute("${A/b/c}", lookup).error);
  CHECK(substitute("${}", lookup).error);
}

TEST_CASE("interpolateTree marks changed values and keeps keys") {
  auto docs =
      stack::orchestrator::compose::yaml::parseDocuments("$KEY: ${V}\nother: plain\n", nullptr);
  std::vector<std::string> warnings;
  interpolateTree(docs[0], env({{"V", "3"}}), warnings);
  REQUIRE(docs[0].find("$KEY"));
  CHECK(docs[0].find("$KEY")->value == "3");
  CHECK(docs[0].find("$KEY")->interpolated);
  CHECK_FALSE(docs[0].find("other")->interpolated);
  CHECK(warnings.empty());
}
