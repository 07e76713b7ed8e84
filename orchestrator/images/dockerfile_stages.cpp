#include "orchestrator/images/dockerfile_stages.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace stack::orchestrator::images {
namespace {

struct Instruction {
  std::string keyword;  // lower case
  std::string args;
};

using Variables = std::map<std::string, std::optional<std::string>>;  // nullopt: declared, unset

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// The `# escape=` directive: only comment lines of the form "# key=value" at the very top.
char escapeCharacter(const std::vector<std::string>& lines) {
  char escape = '\\';
  for (const auto& raw : lines) {
    const std::string line = trim(raw);
    if (line.empty() || line.front() != '#') break;
    const std::string body = trim(line.substr(1));
    const auto equals = body.find('=');
    if (equals == std::string::npos) break;
    const std::string key = lower(trim(body.substr(0, equals)));
    const std::string value = trim(body.substr(equals + 1));
    if (key == "escape" && (value == "`" || value == "\\")) {
      escape = value.front();
    } else if (key != "syntax" && key != "check") {
      break;
    }
  }
  return escape;
}

std::vector<Instruction> readInstructions(const std::string& text, char& escape) {
  const std::vector<std::string> lines = splitLines(text);
  escape = escapeCharacter(lines);
  std::vector<Instruction> out;
  std::string current;
  auto flush = [&] {
    const std::string joined = trim(current);
    current.clear();
    if (joined.empty()) return;
    const auto space = joined.find_first_of(" \t");
    Instruction instruction{lower(joined.substr(0, space)), ""};
    if (space != std::string::npos) instruction.args = trim(joined.substr(space));
    out.push_back(std::move(instruction));
  };
  for (const auto& raw : lines) {
    const std::string line = trim(raw);
    if (line.empty() || line.front() == '#') continue;  // comments, also within continuations
    const bool continued = line.back() == escape;
    current += ' ';
    current += continued ? line.substr(0, line.size() - 1) : line;
    if (!continued) flush();
  }
  flush();
  return out;
}

std::string unquote(const std::string& text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// $NAME, ${NAME}, ${NAME:-word}, ${NAME:+word}; the escape character keeps a '$' literal.
std::string substitute(const std::string& text, const Variables& variables, char escape) {
  auto value = [&](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : it->second;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == escape && i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (c != '$' || i + 1 == text.size()) {
      out += c;
    } else if (text[i + 1] == '{') {
      const auto close = text.find('}', i + 2);
      if (close == std::string::npos) return out + text.substr(i);
      const std::string inner = text.substr(i + 2, close - i - 2);
      const auto colon = inner.find(':');
      const std::optional<std::string> current = value(inner.substr(0, colon));
      const bool set = current && !current->empty();
      if (colon == std::string::npos) {
        out += current.value_or("");
      } else if (inner.compare(colon, 2, ":-") == 0) {
        out += set ? *current : inner.substr(colon + 2);
      } else if (inner.compare(colon, 2, ":+") == 0) {
        out += set ? inner.substr(colon + 2) : "";
      }
      i = close;
    } else {
      size_t end = i + 1;
      while (end < text.size() && isNameChar(text[end])) ++end;
      if (end == i + 1) {
        out += c;
        continue;
      }
      out += value(text.substr(i + 1, end - i - 1)).value_or("");
      i = end - 1;
    }
  }
  return out;
}

// An ARG before the first FROM: "NAME", "NAME=default", possibly several per line.
void declareMetaArgs(const std::string& args, Variables& variables,
                     const std::map<std::string, std::string>& build_args, char escape) {
  for (const auto& word : splitWords(args)) {
    const auto equals = word.find('=');
    const std::string name = word.substr(0, equals);
    std::optional<std::string> value;
    if (equals != std::string::npos) {
      value = substitute(unquote(word.substr(equals + 1)), variables, escape);
    }
    if (auto given = build_args.find(name); given != build_args.end()) value = given->second;
    variables[name] = value;
  }
}

}  // namespace

std::vector<DockerfileStage> parseDockerfileStages(const std::string& dockerfile,
                                                   const std::map<std::string, std::string>& args) {
  char escape = '\\';
  const std::vector<Instruction> instructions = readInstructions(dockerfile, escape);
  Variables variables;
  std::vector<DockerfileStage> stages;
  std::set<std::string> names;
  for (const auto& instruction : instructions) {
    if (instruction.keyword == "arg" && stages.empty()) {
      declareMetaArgs(instruction.args, variables, args, escape);
      continue;
    }
    if (instruction.keyword != "from") continue;
    std::vector<std::string> words = splitWords(instruction.args);
    words.erase(std::remove_if(words.begin(), words.end(),
                               [](const std::string& w) { return w.rfind("--", 0) == 0; }),
                words.end());
    if (words.empty()) continue;
    DockerfileStage stage;
    stage.base = substitute(words[0], variables, escape);
    if (words.size() >= 3 && lower(words[1]) == "as") stage.name = lower(words[2]);
    stage.from_stage = names.count(lower(stage.base)) != 0;
    if (!stage.name.empty()) names.insert(stage.name);
    stages.push_back(std::move(stage));
  }
  return stages;
}

std::vector<std::string> baseImages(const std::vector<DockerfileStage>& stages,
                                    const std::string& target) {
  size_t last = stages.size();
  if (!target.empty()) {
    const std::string wanted = lower(target);
    for (size_t i = 0; i < stages.size(); ++i) {
      if (stages[i].name == wanted) {
        last = i + 1;
        break;
      }
    }
  }
  std::vector<std::string> bases;
  for (size_t i = 0; i < last; ++i) {
    const DockerfileStage& stage = stages[i];
    if (stage.from_stage || stage.base.empty() || lower(stage.base) == "scratch") continue;
    if (std::find(bases.begin(), bases.end(), stage.base) == bases.end()) {
      bases.push_back(stage.base);
    }
  }
  return bases;
}

}  // namespace stack::orchestrator::images
