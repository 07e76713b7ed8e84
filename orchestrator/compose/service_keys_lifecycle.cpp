// Service keys about building and running over time: build, healthcheck, deploy.
#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/service_builder.hpp"

namespace stack::orchestrator::compose::service_keys {
namespace {

using namespace reader;
using yaml::Node;

void readBuildLists(BuildConfig& b, const Node& n, const std::string& p) {
  if (const Node* v = n.find("cache_from")) b.cache_from = toStringList(*v, p + ".cache_from");
  if (const Node* v = n.find("cache_to")) b.cache_to = toStringList(*v, p + ".cache_to");
  if (const Node* v = n.find("extra_hosts")) b.extra_hosts = toStringList(*v, p + ".extra_hosts");
  if (const Node* v = n.find("tags")) b.tags = toStringList(*v, p + ".tags");
  if (const Node* v = n.find("platforms")) b.platforms = toStringList(*v, p + ".platforms");
  if (const Node* v = n.find("secrets")) b.secrets = toJson(*v);
  if (const Node* v = n.find("ssh")) b.ssh = toJson(*v);
  if (const Node* v = n.find("ulimits")) b.ulimits = toJson(*v);
}

void setBuild(Service& s, const Node& n, const std::string& p) {
  checkKeys(n, p,
            {"context",
             "dockerfile",
             "dockerfile_inline",
             "args",
             "ssh",
             "labels",
             "cache_from",
             "cache_to",
             "no_cache",
             "additional_contexts",
             "network",
             "pull",
             "target",
             "secrets",
             "extra_hosts",
             "isolation",
             "privileged",
             "shm_size",
             "tags",
             "ulimits",
             "platforms",
             "entitlements",
             "provenance",
             "sbom",
             "no_cache_filter"});
  BuildConfig b;
  b.context = ".";
  if (const Node* v = n.find("context")) b.context = toString(*v, p + ".context");
  if (const Node* v = n.find("dockerfile")) b.dockerfile = toString(*v, p + ".dockerfile");
  if (const Node* v = n.find("dockerfile_inline")) {
    b.dockerfile_inline = toString(*v, p + ".dockerfile_inline");
    if (!b.dockerfile.empty()) {
      yaml::fail(*v, p + ".dockerfile_inline",
                 "dockerfile and dockerfile_inline are mutually exclusive");
    }
  } else if (b.dockerfile.empty()) {
    b.dockerfile = "Dockerfile";
  }
  if (const Node* v = n.find("args")) b.args = toOptionalStringMap(*v, p + ".args");
  if (const Node* v = n.find("labels")) b.labels = toStringMap(*v, p + ".labels");
  if (const Node* v = n.find("additional_contexts")) {
    StringMap contexts = toStringMap(*v, p + ".additional_contexts");
    b.additional_contexts.insert(contexts.begin(), contexts.end());
  }
  if (const Node* v = n.find("no_cache")) b.no_cache = toBool(*v, p + ".no_cache");
  if (const Node* v = n.find("pull")) b.pull = toBool(*v, p + ".pull");
  if (const Node* v = n.find("privileged")) b.privileged = toBool(*v, p + ".privileged");
  if (const Node* v = n.find("network")) b.network = toString(*v, p + ".network");
  if (const Node* v = n.find("target")) b.target = toString(*v, p + ".target");
  if (const Node* v = n.find("isolation")) b.isolation = toString(*v, p + ".isolation");
  if (const Node* v = n.find("shm_size")) b.shm_size = toBytes(*v, p + ".shm_size");
  readBuildLists(b, n, p);
  s.build = std::move(b);
}

void setHealthcheck(Service& s, const Node& n, const std::string& p) {
  checkKeys(
      n, p,
      {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"});
  Healthcheck h;
  if (const Node* test = n.find("test")) {
    std::string path = p + ".test";
    if (test->isScalar()) {
      h.test = {"CMD-SHELL", toString(*test, path)};
    } else {
      h.test = toStringList(*test, path);
      if (h.test.empty() ||
          (h.test[0] != "NONE" && h.test[0] != "CMD" && h.test[0] != "CMD-SHELL")) {
        yaml::fail(*test, path,
                   "a healthcheck test list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"",
                   "e.g. [\"CMD\", \"curl\", \"-f\", \"http://localhost\"], or a string for a "
                   "shell command");
      }
    }
  }
  if (const Node* v = n.find("interval")) h.interval = toDuration(*v, p + ".interval");
  if (const Node* v = n.find("timeout")) h.timeout = toDuration(*v, p + ".timeout");
  if (const Node* v = n.find("start_period")) h.start_period = toDuration(*v, p + ".start_period");
  if (const Node* v = n.find("start_interval"))
    h.start_interval = toDuration(*v, p + ".start_interval");
  if (const Node* v = n.find("retries"))
    h.retries = static_cast<uint64_t>(toInt(*v, p + ".retries", 0));
  if (const Node* v = n.find("disable")) h.disable = toBool(*v, p + ".disable");
  s.healthcheck = std::move(h);
}

ResourceSpec buildResources(const Node& n, const std::string& p, bool reservations) {
  if (reservations) {
    checkKeys(n, p, {"cpus", "memory", "pids", "devices", "generic_resources"});
  } else {
    checkKeys(n, p, {"cpus", "memory", "pids"});
  }
  ResourceSpec r;
  if (const Node* v = n.find("cpus")) r.cpus = toFloat(*v, p + ".cpus");
  if (const Node* v = n.find("memory")) r.memory = toBytes(*v, p + ".memory");
  if (const Node* v = n.find("pids")) r.pids = toInt(*v, p + ".pids");
  if (const Node* v = n.find("devices")) r.devices = toJson(*v);
  if (const Node* v = n.find("generic_resources")) r.generic_resources = toJson(*v);
  return r;
}

RestartPolicy buildRestartPolicy(const Node& n, const std::string& p) {
  checkKeys(n, p, {"condition", "delay", "max_attempts", "window"});
  RestartPolicy r;
  if (const Node* v = n.find("condition")) {
    r.condition = toString(*v, p + ".condition");
    if (r.condition.empty() || !parseRestartCondition(r.condition)) {
      yaml::fail(*v, p + ".condition", "invalid restart condition " + quote(r.condition),
                 "use none, on-failure or any");
    }
  }
  if (const Node* v = n.find("delay")) r.delay = toDuration(*v, p + ".delay");
  if (const Node* v = n.find("max_attempts")) r.max_attempts = toInt(*v, p + ".max_attempts", 0);
  if (const Node* v = n.find("window")) r.window = toDuration(*v, p + ".window");
  return r;
}

void setDeploy(Service& s, const Node& n, const std::string& p) {
  checkKeys(n, p,
            {"mode", "replicas", "labels", "resources", "restart_policy", "placement",
             "update_config", "rollback_config", "endpoint_mode"});
  DeployConfig d;
  if (const Node* v = n.find("mode")) d.mode = toString(*v, p + ".mode");
  if (const Node* v = n.find("replicas")) {
    d.replicas = static_cast<int>(toInt(*v, p + ".replicas", 0, 100000));
  }
  if (const Node* v = n.find("labels")) d.labels = toStringMap(*v, p + ".labels");
  if (const Node* resources = n.find("resources")) {
    std::string path = p + ".resources";
    checkKeys(*resources, path, {"limits", "reservations"});
    if (const Node* v = resources->find("limits"))
      d.limits = buildResources(*v, path + ".limits", false);
    if (const Node* v = resources->find("reservations")) {
      d.reservations = buildResources(*v, path + ".reservations", true);
    }
  }
  if (const Node* v = n.find("restart_policy"))
    d.restart_policy = buildRestartPolicy(*v, p + ".restart_policy");
  if (const Node* v = n.find("placement")) d.placement = toJson(*v);
  if (const Node* v = n.find("update_config")) d.update_config = toJson(*v);
  if (const Node* v = n.find("rollback_config")) d.rollback_config = toJson(*v);
  if (const Node* v = n.find("endpoint_mode")) d.endpoint_mode = toString(*v, p + ".endpoint_mode");
  s.deploy = std::move(d);
}

constexpr KeyHandler kKeys[] = {
    {"build", setBuild},
    {"healthcheck", setHealthcheck},
    {"deploy", setDeploy},
};

}  // namespace

std::span<const KeyHandler> lifecycleKeys() {
  return kKeys;
}

}  // namespace stack::orchestrator::compose::service_keys
