#pragma once

// Writes compose files into a fresh temporary directory for loader tests.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "orchestrator/compose/loader.hpp"

namespace stack::orchestrator::compose::testing {

class TempProject {
 public:
  TempProject() {
    dir_ = std::filesystem::temp_directory_path() /
           ("stack-loader-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempProject() { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }
  std::string path(const std::string& name = "") const { return (dir_ / name).string(); }

  LoadOptions options(StringMap env = {}) const {
    LoadOptions options;
    options.working_directory = dir_.string();
    options.project_name = "test";
    env.emplace("HOME", "/home/user");
    options.environment = env;
    return options;
  }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path dir_;
};

}  // namespace stack::orchestrator::compose::testing
