// Service keys about the process and its identity: image, command, environment, user,
// restart policy, labels, profiles, hooks.
#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/service_builder.hpp"

namespace stack::orchestrator::compose::service_keys {
namespace {

using namespace reader;
using yaml::Node;

void setRestart(Service& s, const Node& n, const std::string& p) {
  std::string value = toString(n, p);
  if (value.empty() || !parseRestart(value)) {
    yaml::fail(n, p, "invalid restart policy " + quote(value),
               "use \"no\", \"always\", \"on-failure\", \"on-failure:N\" or \"unless-stopped\"");
  }
  s.restart = value;
}

void setPullPolicy(Service& s, const Node& n, const std::string& p) {
  const std::string value = toString(n, p);
  if (value.rfind("every_", 0) == 0) {  // a bad duration is reported as such
    Node duration = n;
    duration.value = value.substr(6);
    toDuration(duration, p);
  }
  const auto policy = parsePullPolicy(value);
  if (value.empty() || !policy) {
    yaml::fail(n, p, "invalid pull policy " + quote(value),
               "use always, never, missing, build, daily, weekly or every_<duration>");
  }
  s.pull_policy = policy->name;
}

void setEnvFiles(Service& s, const Node& n, const std::string& p) {
  requireSequence(n, p);
  for (size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    std::string path = yaml::indexPath(p, i);
    checkKeys(item, path, {"path", "required", "format"});
    EnvFile file;
    const Node* file_path = item.find("path");
    if (!file_path) yaml::fail(item, path, "env_file entry has no \"path\"");
    file.path = toString(*file_path, yaml::childPath(path, "path"));
    if (const Node* required = item.find("required")) {
      file.required = toBool(*required, yaml::childPath(path, "required"));
    }
    if (const Node* format = item.find("format")) {
      file.format = toString(*format, yaml::childPath(path, "format"));
    }
    s.env_file.push_back(std::move(file));
  }
}

void setHooks(Json& target, const Node& n, const std::string& p) {
  requireSequence(n, p);
  for (size_t i = 0; i < n.items.size(); ++i) {
    checkKeys(n.items[i], yaml::indexPath(p, i),
              {"command", "user", "privileged", "working_dir", "environment"});
  }
  target = toJson(n);
}

void setStopSignal(Service& s, const Node& n, const std::string& p) {
  s.stop_signal = toString(n, p);
}

constexpr KeyHandler kKeys[] = {
    {"image", [](Service& s, const Node& n, const std::string& p) { s.image = toString(n, p); }},
    {"pull_policy", setPullPolicy},
    {"platform", [](Service& s, const Node& n, const std::string& p) { s.platform = toString(n, p); }},
    {"command", [](Service& s, const Node& n, const std::string& p) { s.command = toCommand(n, p); }},
    {"entrypoint",
     [](Service& s, const Node& n, const std::string& p) { s.entrypoint = toCommand(n, p); }},
    {"environment",
     [](Service& s, const Node& n, const std::string& p) { s.environment = toOptionalStringMap(n, p); }},
    {"env_file", setEnvFiles},
    {"working_dir",
     [](Service& s, const Node& n, const std::string& p) { s.working_dir = toString(n, p); }},
    {"user", [](Service& s, const Node& n, const std::string& p) { s.user = toString(n, p, true); }},
    {"init", [](Service& s, const Node& n, const std::string& p) { s.init = toBool(n, p); }},
    {"tty", [](Service& s, const Node& n, const std::string& p) { s.tty = toBool(n, p); }},
    {"stdin_open", [](Service& s, const Node& n, const std::string& p) { s.stdin_open = toBool(n, p); }},
    {"stop_signal", setStopSignal},
    {"stop_grace_period",
     [](Service& s, const Node& n, const std::string& p) { s.stop_grace_period = toDuration(n, p); }},
    {"restart", setRestart},
    {"scale",
     [](Service& s, const Node& n, const std::string& p) { s.scale = static_cast<int>(toInt(n, p, 0, 100000)); }},
    {"attach", [](Service& s, const Node& n, const std::string& p) { s.attach = toBool(n, p); }},
    {"post_start", [](Service& s, const Node& n, const std::string& p) { setHooks(s.post_start, n, p); }},
    {"pre_stop", [](Service& s, const Node& n, const std::string& p) { setHooks(s.pre_stop, n, p); }},
    {"container_name",
     [](Service& s, const Node& n, const std::string& p) { s.container_name = toString(n, p); }},
    {"hostname", [](Service& s, const Node& n, const std::string& p) { s.hostname = toString(n, p); }},
    {"domainname",
     [](Service& s, const Node& n, const std::string& p) { s.domainname = toString(n, p); }},
    {"labels", [](Service& s, const Node& n, const std::string& p) { s.labels = toStringMap(n, p); }},
    {"annotations",
     [](Service& s, const Node& n, const std::string& p) { s.annotations = toStringMap(n, p); }},
    {"profiles",
     [](Service& s, const Node& n, const std::string& p) { s.profiles = toStringList(n, p); }},
    {"develop", [](Service& s, const Node& n, const std::string& p) {
       checkKeys(n, p, {"watch"});
       s.develop = toJson(n);
     }},
    {"extends", [](Service&, const Node&, const std::string&) {}},  // applied before merging
    {"privileged", [](Service& s, const Node& n, const std::string& p) { s.privileged = toBool(n, p); }},
    {"read_only", [](Service& s, const Node& n, const std::string& p) { s.read_only = toBool(n, p); }},
    {"runtime", [](Service& s, const Node& n, const std::string& p) { s.runtime = toString(n, p); }},
    {"isolation", [](Service& s, const Node& n, const std::string& p) { s.isolation = toString(n, p); }},
    {"credential_spec", [](Service& s, const Node& n, const std::string& p) {
       checkKeys(n, p, {"config", "file", "registry"});
       s.credential_spec = toJson(n);
     }},
};

}  // namespace

std::span<const KeyHandler> processKeys() {
  return kKeys;
}

}  // namespace stack::orchestrator::compose::service_keys
