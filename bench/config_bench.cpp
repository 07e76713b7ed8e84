// stack_config_bench: loads a compose project the way `stack config` does and prints it,
// so bench/config_bench.sh can measure time and peak memory of the loader on its own
// (the real `stack` binary is built elsewhere).
//
// usage: stack_config_bench [--yaml] [-p NAME] -f FILE [-f FILE ...]
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>

#include "core/error.hpp"
#include "orchestrator/compose/loader.hpp"
#include "orchestrator/compose/serialize.hpp"

int main(int argc, char** argv) {
  stack::orchestrator::compose::LoadOptions options;
  bool yaml = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--yaml") == 0) {
      yaml = true;
    } else if (std::strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
      options.files.push_back(argv[++i]);
    } else if (std::strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
      options.project_name = argv[++i];
    } else {
      std::cerr << "usage: stack_config_bench [--yaml] [-p NAME] -f FILE...\n";
      return 2;
    }
  }
  try {
    auto result = stack::orchestrator::compose::loadProject(options);
    for (const auto& warning : result.warnings) std::cerr << "WARN " << warning << "\n";
    if (yaml) {
      std::cout << stack::orchestrator::compose::projectToYaml(result.project);
    } else {
      // streamed, not dumped into one large string first
      std::cout << std::setw(2) << stack::orchestrator::compose::projectToJson(result.project)
                << "\n";
    }
    // A one-shot command need not free its model: the kernel reclaims it faster than the
    // destructors can (several ms on 1000 services). `stack config` can do the same.
    std::cout.flush();
    std::_Exit(0);
  } catch (const stack::Error& error) {
    std::cerr << error.describe() << "\n";
    return 1;
  } catch (const std::exception& error) {  // e.g. invalid UTF-8 in an OS variable
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
