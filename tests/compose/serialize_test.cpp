#include "orchestrator/compose/serialize.hpp"

#include <doctest/doctest.h>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

using namespace stack::orchestrator::compose;

TEST_CASE("jsonToYaml round-trips through a YAML parser") {
  Json value = {
      {"strings",
       {"",
        " lead",
        "trail ",
        "a: b",
        "#x",
        "- x",
        "-x",
        "true",
        "1.0",
        "0440",
        "null",
        "~",
        "multi\nline",
        "tab\there",
        "{brace",
        "[bracket",
        "\xC3\xA9t\xC3\xA9",
        "@at",
        "`tick",
        "a #b",
        "a#b",
        "x:",
        "-",
        "?",
        ":",
        "'quote",
        "\"dq",
        "*star",
        "&amp",
        "!bang",
        "|pipe",
        ">gt",
        "%pct",
        "a,b",
        "http://x:80/y",
        "yes",
        "No",
        "0x1F"}},
      {"numbers", {1, -2, 3.5}},
      {"flags", {true, false}},
      {"nothing", nullptr},
      {"empty", {{"map", Json::object()}, {"list", Json::array()}}},
      {"objects", {{{"a", 1}, {"b", {{"c", "d"}}}}, {{"e", Json::array({1, 2})}}}},
      {"needs: quoting", "key"},
      {"1", "numeric key"},
  };
  std::string text = jsonToYaml(value);
  auto docs = yaml::parseDocuments(text, nullptr);
  REQUIRE(docs.size() == 1);
  Json back = reader::toJson(docs[0]);
  CHECK_MESSAGE(back == value, text);
}
