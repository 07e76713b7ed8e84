#pragma once

// Internal to runtime/fake: enough of a Dockerfile interpreter for the fake build to give
// an image the config dockerd's classic builder would (FROM, ARG, ENV, LABEL, CMD,
// ENTRYPOINT, EXPOSE, WORKDIR, USER, STOPSIGNAL, HEALTHCHECK) and to check that COPY/ADD
// sources exist in the context. RUN and friends only produce build steps.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"

namespace stack::runtime::fake::detail {

struct Instruction {
  int line = 0;
  std::string keyword;  // upper case
  std::string args;     // the rest of the (joined) line
  std::string text;     // "FROM alpine AS base", as a "Step n/m" line shows it
};

// Joins continuation lines and drops comments and empty lines. Throws Error(Engine)
// "dockerfile parse error line N: unknown instruction: X" as dockerd does.
std::vector<Instruction> parseDockerfile(const std::string& text);

struct Stage {
  std::string base;                       // the FROM image or stage, variables substituted
  std::string name;                       // after AS, lower case
  std::vector<Instruction> instructions;  // FROM first
};
// Splits at FROM; ARGs before the first FROM feed the FROM lines.
std::vector<Stage> splitStages(const std::vector<Instruction>& instructions,
                               const std::map<std::string, std::string>& build_args);

// Words of a shell-like line: whitespace separates, quotes group, backslash escapes.
std::vector<std::string> splitWords(const std::string& text);
// Go duration ("30s", "1m30s", "500ms"); nullopt when malformed.
std::optional<std::chrono::nanoseconds> parseGoDuration(const std::string& text);

// Applies a stage's instructions to an image config.
class ConfigBuilder {
 public:
  ConfigBuilder(ContainerConfig base, std::map<std::string, std::string> build_args);

  // Throws Error(Build) for a malformed instruction.
  void apply(const Instruction& instruction);
  // Paths a COPY or ADD takes from the context (none for --from, URLs, other keywords).
  std::vector<std::string> contextSources(const Instruction& instruction) const;
  // The argv a RUN executes.
  std::vector<std::string> runCommand(const Instruction& instruction) const;
  // $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alternative} from ARG and ENV.
  std::string substitute(const std::string& text) const;

  ContainerConfig config;

 private:
  std::vector<std::string> command(const std::string& args) const;
  void applyPairs(const Instruction& instruction);
  void applyHealthcheck(const std::string& args);
  std::map<std::string, std::string> build_args_;
  std::map<std::string, std::string> variables_;
  bool cmd_set_ = false;
};

}  // namespace stack::runtime::fake::detail
