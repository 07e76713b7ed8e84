// The compose-samples/ conformance corpus: every case is loaded and its normalized JSON
// (or its error message) compared with the expected file. See compose-samples/README.md.
// STACK_UPDATE_GOLDEN=1 rewrites the expected files; review every change by hand.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "orchestrator/compose/loader.hpp"
#include "orchestrator/compose/serialize.hpp"

namespace fs = std::filesystem;
using namespace stack::orchestrator::compose;

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
}

// `args` holds one option per line: "-f FILE", "--env-file FILE", "--profile NAME",
// "-p NAME", "--project-directory DIR", "service NAME", "env NAME=VALUE",
// "--no-interpolate", "--yaml".
LoadOptions optionsFor(const fs::path& dir, bool& yaml) {
  LoadOptions options;
  options.working_directory = dir.string();
  options.environment = StringMap{{"HOME", "/home/user"}};
  std::istringstream args(fs::exists(dir / "args") ? readFile(dir / "args") : "");
  for (std::string line; std::getline(args, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    std::string flag = line.substr(0, space);
    std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (flag == "-f")
      options.files.push_back((dir / value).string());
    else if (flag == "--env-file")
      options.env_files.push_back((dir / value).string());
    else if (flag == "--profile")
      options.profiles.push_back(value);
    else if (flag == "-p")
      options.project_name = value;
    else if (flag == "--project-directory")
      options.project_directory = (dir / value).string();
    else if (flag == "service")
      options.selected_services.push_back(value);
    else if (flag == "--no-interpolate")
      options.interpolate = false;
    else if (flag == "--yaml")
      yaml = true;
    else if (flag == "env") {
      auto eq = value.find('=');
      (*options.environment)[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      FAIL("unknown line in " << (dir / "args").string() << ": " << line);
    }
  }
  return options;
}

// The output of a case, with the sample directory replaced by $SAMPLE and the corpus
// directory by $SAMPLES, so expected files do not depend on where the tree is checked out.
std::pair<std::string, bool> runCase(const fs::path& dir) {
  bool yaml = false;
  LoadOptions options = optionsFor(dir, yaml);
  std::string out;
  bool failed = false;
  try {
    LoadResult result = loadProject(options);
    out = yaml ? projectToYaml(result.project)
               : projectToJson(result.project)
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                     "\n";
  } catch (const stack::Error& error) {
    out = error.describe() + "\n";
    failed = true;
  }
  replaceAll(out, dir.string(), "$SAMPLE");
  replaceAll(out, dir.parent_path().string(), "$SAMPLES");
  return {out, failed};
}

}  // namespace

TEST_CASE("compose-samples conformance corpus") {
  fs::path root = STACK_SAMPLES_DIR;
  bool update = std::getenv("STACK_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  CHECK(cases.size() >= 40);
  for (const auto& dir : cases) {
    CAPTURE(dir.filename().string());
    auto [out, failed] = runCase(dir);
    fs::path expected_ok = dir / "expected.json";
    fs::path expected_error = dir / "expected-error.txt";
    fs::path expected = failed ? expected_error : expected_ok;
    if (update) {
      fs::remove(failed ? expected_ok : expected_error);
      std::ofstream(expected) << out;
      continue;
    }
    if (!fs::exists(expected)) {
      FAIL_CHECK((failed ? "unexpected error: " : "unexpected success: ") << out);
      continue;
    }
    CHECK_MESSAGE(out == readFile(expected), "mismatch in " << expected.string() << "\n" << out);
  }
}
