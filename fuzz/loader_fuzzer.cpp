// libFuzzer target for the compose loader: the input is one compose file. Every input
// must either load or fail with a stack::Error; anything else (a crash, a sanitizer
// report, another exception escaping) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "orchestrator/compose/config_query.hpp"
#include "orchestrator/compose/project_files.hpp"
#include "orchestrator/compose/serialize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stack::orchestrator::compose;
  ProjectFiles files;
  files.files = {"/nonexistent-fuzz/compose.yaml"};
  files.project_dir = "/nonexistent-fuzz";
  files.name = "fuzz";
  files.environment = {{"HOME", "/home/fuzz"},
                       {"SET", "value"},
                       {"EMPTY", ""},
                       {"NUM", "3"},
                       {"COMPOSE_PROJECT_NAME", "fuzz"}};
  LoadOptions options;
  options.profiles = {"debug"};
  std::vector<std::string> contents{std::string(reinterpret_cast<const char*>(data), size)};
  try {
    LoadResult result = loadResolvedProject(files, contents, options);
    (void)projectToJson(result.project).dump();  // throws on invalid UTF-8: must not happen
    (void)projectToYaml(result.project);
    (void)listConfig(result.project, ConfigListing::Services);
  } catch (const stack::Error&) {
    // expected for bad input
  }
  return 0;
}
