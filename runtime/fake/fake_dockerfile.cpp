#include "runtime/fake/fake_dockerfile.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"

namespace stack::runtime::fake::detail {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

const std::set<std::string>& keywords() {
  static const std::set<std::string> all = {
      "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
      "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
      "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};
  return all;
}

std::optional<std::vector<std::string>> jsonArray(const std::string& text) {
  const std::string t = trim(text);
  if (t.empty() || t.front() != '[') return std::nullopt;
  const auto parsed = nlohmann::json::parse(t, nullptr, false);
  if (!parsed.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : parsed) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

void setEnv(ContainerConfig& config, const std::string& key, const std::string& value) {
  std::erase_if(config.env, [&](const std::string& e) { return e.substr(0, e.find('=')) == key; });
  config.env.push_back(key + "=" + value);
}

Instruction makeInstruction(const std::string& joined, int line) {
  const auto space = joined.find_first_of(" \t");
  Instruction instruction;
  instruction.line = line;
  instruction.keyword = upper(joined.substr(0, space));
  instruction.args = space == std::string::npos ? "" : trim(joined.substr(space));
  instruction.text = joined;
  if (!keywords().count(instruction.keyword))
    throw Error(ErrorKind::Engine, "dockerfile parse error line " + std::to_string(line) +
                                       ": unknown instruction: " + instruction.keyword);
  return instruction;
}

}  // namespace

std::vector<Instruction> parseDockerfile(const std::string& text) {
  std::vector<Instruction> out;
  std::string pending;  // a logical line being joined across backslash continuations
  int start_line = 0;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    const std::string trimmed = trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;  // also inside continuations
    if (pending.empty()) start_line = number;
    // Keep the continuation line's leading whitespace, as dockerd does when it joins.
    const std::string part =
        pending.empty() ? trimmed : line.substr(0, line.find_last_not_of(" \t\r") + 1);
    if (part.back() == '\\') {
      pending += part.substr(0, part.size() - 1);
      continue;
    }
    pending += part;
    out.push_back(makeInstruction(trim(pending), start_line));
    pending.clear();
  }
  if (!trim(pending).empty()) out.push_back(makeInstruction(trim(pending), start_line));
  return out;
}

std::vector<Stage> splitStages(const std::vector<Instruction>& instructions,
                               const std::map<std::string, std::string>& build_args) {
  std::vector<Stage> stages;
  ConfigBuilder globals({}, build_args);
  for (const auto& instruction : instructions) {
    if (instruction.keyword == "FROM") {
      const auto words = splitWords(instruction.args);
      std::vector<std::string> plain;
      for (const auto& w : words)
        if (w.rfind("--", 0) != 0) plain.push_back(w);
      if (plain.empty())
        throw Error(ErrorKind::Engine, "FROM requires either one or three arguments");
      Stage stage;
      stage.base = globals.substitute(plain[0]);
      if (plain.size() == 3 && upper(plain[1]) == "AS") stage.name = plain[2];
      std::transform(stage.name.begin(), stage.name.end(), stage.name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      stage.instructions.push_back(instruction);
      stages.push_back(std::move(stage));
    } else if (stages.empty()) {
      if (instruction.keyword != "ARG")
        throw Error(ErrorKind::Engine, "Please provide a source image with `from` prior to commit");
      globals.apply(instruction);
    } else {
      stages.back().instructions.push_back(instruction);
    }
  }
  if (stages.empty()) throw Error(ErrorKind::Engine, "the Dockerfile has no FROM instruction");
  return stages;
}

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && quote != '\'' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(word);
  return out;
}

std::optional<std::chrono::nanoseconds> parseGoDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return std::chrono::nanoseconds(0);
  double total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text.substr(pos), &used);
    } catch (...) {
      return std::nullopt;
    }
    pos += used;
    const auto unit_end = text.find_first_of("0123456789.", pos);
    const std::string unit = text.substr(pos, unit_end - pos);
    pos = unit_end == std::string::npos ? text.size() : unit_end;
    static const std::map<std::string, double> units = {
        {"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    const auto it = units.find(unit);
    if (it == units.end()) return std::nullopt;
    total += value * it->second;
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

ConfigBuilder::ConfigBuilder(ContainerConfig base, std::map<std::string, std::string> build_args)
    : config(std::move(base)), build_args_(std::move(build_args)) {
  for (const auto& entry : config.env) {
    const auto eq = entry.find('=');
    variables_[entry.substr(0, eq)] = eq == std::string::npos ? "" : entry.substr(eq + 1);
  }
}

std::vector<std::string> ConfigBuilder::command(const std::string& args) const {
  if (auto array = jsonArray(args)) return *array;
  return {"/bin/sh", "-c", args};
}

std::vector<std::string> ConfigBuilder::runCommand(const Instruction& instruction) const {
  return command(instruction.args);
}

void ConfigBuilder::apply(const Instruction& in) {
  const std::string& k = in.keyword;
  if (k == "ARG") {
    const std::string spec = trim(in.args);
    const auto eq = spec.find('=');
    const std::string name = spec.substr(0, eq);
    if (auto it = build_args_.find(name); it != build_args_.end())
      variables_[name] = it->second;
    else if (eq != std::string::npos)
      variables_[name] = substitute(
          splitWords(spec.substr(eq + 1)).empty() ? "" : splitWords(spec.substr(eq + 1))[0]);
  } else if (k == "ENV" || k == "LABEL") {
    applyPairs(in);
  } else if (k == "CMD") {
    config.cmd = command(in.args);
    cmd_set_ = true;
  } else if (k == "ENTRYPOINT") {
    config.entrypoint = command(in.args);
    if (!cmd_set_) config.cmd.reset();  // an ENTRYPOINT drops the inherited CMD
  } else if (k == "EXPOSE") {
    for (auto port : splitWords(substitute(in.args))) {
      if (port.find('/') == std::string::npos) port += "/tcp";
      if (std::find(config.exposed_ports.begin(), config.exposed_ports.end(), port) ==
          config.exposed_ports.end())
        config.exposed_ports.push_back(port);
    }
  } else if (k == "WORKDIR") {
    std::string dir = substitute(trim(in.args));
    if (!dir.empty() && dir.front() != '/')
      dir = (config.working_dir.empty() ? "/" : config.working_dir + "/") + dir;
    config.working_dir = dir;
  } else if (k == "USER") {
    config.user = substitute(trim(in.args));
  } else if (k == "STOPSIGNAL") {
    config.stop_signal = substitute(trim(in.args));
  } else if (k == "HEALTHCHECK") {
    applyHealthcheck(in.args);
  }
}

// ENV and LABEL: "k=v k2=v2" pairs, or the legacy "key the rest of the line".
void ConfigBuilder::applyPairs(const Instruction& in) {
  const std::string& k = in.keyword;
  auto words = splitWords(in.args);
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!words.empty() && words[0].find('=') == std::string::npos) {
    const auto space = trim(in.args).find_first_of(" \t");
    if (space == std::string::npos)
      throw Error(ErrorKind::Build, k + " requires at least two arguments");
    pairs.emplace_back(words[0], trim(trim(in.args).substr(space)));
  } else {
    for (const auto& w : words) {
      const auto eq = w.find('=');
      if (eq == std::string::npos)
        throw Error(ErrorKind::Build, "Syntax error - can't find = in \"" + w +
                                          "\". Must be of the form: name=value");
      pairs.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
  }
  for (auto& [key, value] : pairs) {
    value = substitute(value);
    if (k == "ENV") {
      setEnv(config, key, value);
      variables_[key] = value;
    } else {
      config.labels[key] = value;
    }
  }
}

void ConfigBuilder::applyHealthcheck(const std::string& args) {
  std::string rest = trim(args);
  HealthConfig hc;
  while (rest.rfind("--", 0) == 0) {
    const auto space = rest.find_first_of(" \t");
    const std::string flag = rest.substr(0, space);
    rest = space == std::string::npos ? "" : trim(rest.substr(space));
    const auto eq = flag.find('=');
    const std::string name = flag.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const std::string value = eq == std::string::npos ? "" : flag.substr(eq + 1);
    if (name == "retries") {
      hc.retries = std::atoi(value.c_str());
      continue;
    }
    const auto duration = parseGoDuration(value);
    if (!duration) throw Error(ErrorKind::Build, "invalid duration for --" + name + ": " + value);
    if (name == "interval")
      hc.interval = *duration;
    else if (name == "timeout")
      hc.timeout = *duration;
    else if (name == "start-period")
      hc.start_period = *duration;
    else
      throw Error(ErrorKind::Build, "Unknown flag: " + name);
  }
  if (upper(rest) == "NONE") {
    hc.test = {"NONE"};
  } else {
    if (upper(rest.substr(0, 3)) != "CMD")
      throw Error(ErrorKind::Build, "Unknown type \"" + rest + "\" in HEALTHCHECK (try CMD)");
    const std::string cmd = trim(rest.substr(3));
    if (auto array = jsonArray(cmd)) {
      hc.test = {"CMD"};
      hc.test.insert(hc.test.end(), array->begin(), array->end());
    } else {
      hc.test = {"CMD-SHELL", cmd};
    }
  }
  config.healthcheck = hc;
}

std::vector<std::string> ConfigBuilder::contextSources(const Instruction& in) const {
  if (in.keyword != "COPY" && in.keyword != "ADD") return {};
  std::vector<std::string> words;
  if (auto array = jsonArray(in.args))
    words = *array;
  else
    words = splitWords(in.args);
  std::vector<std::string> plain;
  for (const auto& w : words) {
    if (w.rfind("--from", 0) == 0) return {};
    if (w.rfind("--", 0) != 0) plain.push_back(w);
  }
  if (plain.size() < 2) return {};
  plain.pop_back();  // the destination
  std::vector<std::string> out;
  for (const auto& source : plain) {
    if (in.keyword == "ADD" &&
        (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0))
      continue;
    out.push_back(substitute(source));
  }
  return out;
}

std::string ConfigBuilder::substitute(const std::string& text) const {
  std::string out;
  auto lookup = [&](const std::string& name) {
    const auto it = variables_.find(name);
    return it == variables_.end() ? std::optional<std::string>{} : it->second;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i);
      if (close == std::string::npos) return out + text.substr(i);
      const std::string body = text.substr(i + 2, close - i - 2);
      const auto colon = body.find(':');
      const auto value = lookup(body.substr(0, colon));
      if (colon != std::string::npos && body.size() > colon + 1 && body[colon + 1] == '-')
        out += value && !value->empty() ? *value : body.substr(colon + 2);
      else if (colon != std::string::npos && body.size() > colon + 1 && body[colon + 1] == '+')
        out += value && !value->empty() ? body.substr(colon + 2) : "";
      else
        out += value.value_or("");
      i = close;
    } else if (text[i] == '$' && i + 1 < text.size() &&
               (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_')) {
      size_t end = i + 1;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        ++end;
      out += lookup(text.substr(i + 1, end - i - 1)).value_or("");
      i = end - 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace stack::runtime::fake::detail
