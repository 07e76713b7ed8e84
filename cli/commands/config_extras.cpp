#include "cli/commands/config_extras.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.hpp"
#include "orchestrator/compose/serialize.hpp"

namespace stack::cli {
namespace {

struct Variable {
  std::string name;
  std::string default_value;
  std::string presence_value;
  bool required = false;
};

bool nameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The variables of one value, as compose-go's template.ExtractVariables: `$NAME` and
// `${NAME[:-|-|:?|?|:+|+]rest}`; `$$` is a literal dollar.
void extract(const std::string& text, std::map<std::string, Variable>& out) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) continue;
    if (text[i + 1] == '$') {
      ++i;
      continue;
    }
    Variable variable;
    if (text[i + 1] == '{') {
      size_t depth = 1;
      size_t end = i + 2;
      for (; end < text.size() && depth > 0; ++end) {
        if (text[end] == '{') ++depth;
        if (text[end] == '}') --depth;
      }
      const std::string body = text.substr(i + 2, end - i - 3);
      size_t n = 0;
      while (n < body.size() && nameChar(body[n])) ++n;
      variable.name = body.substr(0, n);
      const std::string rest = body.substr(n);
      auto after = [&](size_t k) { return rest.substr(k); };
      if (rest.rfind(":?", 0) == 0 || rest.rfind("?", 0) == 0) {
        variable.required = true;
      } else if (rest.rfind(":-", 0) == 0) {
        variable.default_value = after(2);
      } else if (rest.rfind("-", 0) == 0) {
        variable.default_value = after(1);
      } else if (rest.rfind(":+", 0) == 0) {
        variable.presence_value = after(2);
      } else if (rest.rfind("+", 0) == 0) {
        variable.presence_value = after(1);
      }
      extract(rest, out);  // nested defaults name variables too
      i = end - 1;
    } else {
      size_t end = i + 1;
      while (end < text.size() && nameChar(text[end])) ++end;
      variable.name = text.substr(i + 1, end - i - 1);
      i = end - 1;
    }
    if (!variable.name.empty()) out.emplace(variable.name, variable);
  }
}

void walk(const nlohmann::json& value, std::map<std::string, Variable>& out) {
  if (value.is_string()) {
    extract(value.get<std::string>(), out);
  } else if (value.is_structured()) {
    for (const auto& item : value) walk(item, out);
  }
}

// Go's text/tabwriter as docker's formatter sets it up: minimum cell width 20, padding 3;
// the last cell of a line is not padded.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    for (size_t c = 0; c + 1 < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(20);
      widths[c] = std::max(widths[c], row[c].size() + 3);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) out += std::string(widths[c] - row[c].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

// "busybox" -> "docker.io/library/busybox", as the docker reference package normalizes.
std::string fullRepository(const std::string& repository) {
  const auto slash = repository.find('/');
  if (slash == std::string::npos) return "docker.io/library/" + repository;
  const std::string domain = repository.substr(0, slash);
  if (domain.find_first_of(".:") == std::string::npos && domain != "localhost")
    return "docker.io/" + repository;
  return repository;
}

}  // namespace

std::string escapeDollars(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out += c;
    if (c == '$') out += '$';
  }
  return out;
}

std::string renderVariables(const orchestrator::compose::Project& project,
                            const std::string& format) {
  std::map<std::string, Variable> variables;
  walk(orchestrator::compose::projectToJson(project), variables);
  if (format == "json" || format == "yaml") {
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, v] : variables) {
      json[name] = {{"Name", v.name},
                    {"DefaultValue", v.default_value},
                    {"PresenceValue", v.presence_value},
                    {"Required", v.required}};
    }
    if (format == "json") return json.dump() + "\n";
    std::string out;
    for (const auto& [name, v] : variables) {
      out += name + ":\n    name: " + v.name +
             "\n    defaultvalue: " + nlohmann::json(v.default_value).dump() +
             "\n    presencevalue: " + nlohmann::json(v.presence_value).dump() +
             "\n    required: " + (v.required ? "true" : "false") + "\n";
    }
    return out;
  }
  std::vector<std::vector<std::string>> rows{
      {"NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"}};
  for (const auto& [name, v] : variables) {
    rows.push_back({name, v.required ? "true" : "false", v.default_value, v.presence_value});
  }
  return table(rows);
}

std::string renderEnvironment(const orchestrator::compose::Project& project) {
  std::string out;
  for (const auto& [key, value] : project.environment) out += key + "=" + value + "\n";
  return out;
}

runtime::Awaitable<void> resolveImageDigests(runtime::Engine& engine,
                                             orchestrator::compose::Project& project) {
  for (auto& [name, service] : project.services) {
    if (service.image.empty() || service.image.find('@') != std::string::npos) continue;
    const std::string reference = service.image;
    runtime::ImageDetails image;
    try {
      image = co_await engine.inspectImage(reference);
    } catch (Error& error) {
      error.addContext("service \"" + name + "\": resolve the digest of " + reference);
      if (error.kind() == ErrorKind::NotFound) error.setHint("pull the image first: stack pull");
      throw;
    }
    const auto slash = reference.rfind('/');
    const auto colon = reference.rfind(':');
    const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    const std::string repository = tagged ? reference.substr(0, colon) : reference;
    std::string digest;
    for (const auto& entry : image.repo_digests) {
      const auto at = entry.find('@');
      if (at == std::string::npos) continue;
      if (digest.empty() || fullRepository(entry.substr(0, at)) == fullRepository(repository))
        digest = entry.substr(at + 1);
    }
    if (digest.empty()) {
      throw Error(ErrorKind::Config,
                  "service \"" + name + "\": image " + reference +
                      " has no repository digest (it was built or loaded locally, never "
                      "pulled from or pushed to a registry)",
                  "push or pull the image through a registry, or run config without "
                  "--resolve-image-digests");
    }
    service.image =
        fullRepository(repository) + (tagged ? reference.substr(colon) : ":latest") + "@" + digest;
  }
}

}  // namespace stack::cli
