// Service keys about resources and isolation: CPU, memory, ulimits, capabilities,
// namespaces, devices, logging.
#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/service_builder.hpp"

namespace stack::orchestrator::compose::service_keys {
namespace {

using namespace reader;
using yaml::Node;

void setUlimits(Service& s, const Node& n, const std::string& p) {
  requireMapping(n, p);
  for (const auto& entry : n.entries) {
    std::string path = yaml::childPath(p, entry.key);
    Ulimit limit;
    if (entry.value.isMapping()) {
      checkKeys(entry.value, path, {"soft", "hard"});
      const Node* soft = entry.value.find("soft");
      const Node* hard = entry.value.find("hard");
      if (!soft || !hard) yaml::fail(entry.value, path, "ulimit needs both \"soft\" and \"hard\"");
      limit.soft = toInt(*soft, yaml::childPath(path, "soft"));
      limit.hard = toInt(*hard, yaml::childPath(path, "hard"));
    } else {
      limit.soft = limit.hard = toInt(entry.value, path);
    }
    s.ulimits[entry.key] = limit;
  }
}

void setDevices(Service& s, const Node& n, const std::string& p) {
  requireSequence(n, p);
  for (size_t i = 0; i < n.items.size(); ++i) {
    checkKeys(n.items[i], yaml::indexPath(p, i), {"source", "target", "permissions"});
  }
  s.devices = toJson(n);
}

void setLogging(Service& s, const Node& n, const std::string& p) {
  checkKeys(n, p, {"driver", "options"});
  Logging logging;
  if (const Node* driver = n.find("driver")) logging.driver = toString(*driver, p + ".driver");
  if (const Node* options = n.find("options"); options && !options->isNull()) {
    logging.options = toStringMap(*options, p + ".options");
  }
  s.logging = std::move(logging);
}

void setBlkio(Service& s, const Node& n, const std::string& p) {
  checkKeys(n, p,
            {"weight", "weight_device", "device_read_bps", "device_read_iops", "device_write_bps",
             "device_write_iops"});
  s.blkio_config = toJson(n);
}

void setGpus(Service& s, const Node& n, const std::string& p) {
  if (n.isScalar() && n.value == "all") {
    s.gpus = Json::array({Json{{"count", -1}}});
    return;
  }
  requireSequence(n, p);
  s.gpus = toJson(n);
}

int64_t bytes(const Node& n, const std::string& p) {
  return toBytes(n, p);
}

constexpr KeyHandler kKeys[] = {
    {"cpus", [](Service& s, const Node& n, const std::string& p) { s.cpus = toFloat(n, p); }},
    {"cpu_shares",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_shares = toInt(n, p); }},
    {"cpu_quota",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_quota = toInt(n, p); }},
    {"cpu_period",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_period = toInt(n, p); }},
    {"cpu_rt_runtime",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_rt_runtime = toInt(n, p); }},
    {"cpu_rt_period",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_rt_period = toInt(n, p); }},
    {"cpu_count",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_count = toInt(n, p, 0); }},
    {"cpu_percent",
     [](Service& s, const Node& n, const std::string& p) { s.cpu_percent = toFloat(n, p); }},
    {"cpuset", [](Service& s, const Node& n, const std::string& p) { s.cpuset = toString(n, p); }},
    {"mem_limit",
     [](Service& s, const Node& n, const std::string& p) { s.mem_limit = bytes(n, p); }},
    {"mem_reservation",
     [](Service& s, const Node& n, const std::string& p) { s.mem_reservation = bytes(n, p); }},
    {"memswap_limit",
     [](Service& s, const Node& n, const std::string& p) { s.memswap_limit = bytes(n, p); }},
    {"mem_swappiness",
     [](Service& s, const Node& n, const std::string& p) {
       s.mem_swappiness = static_cast<int>(toInt(n, p, 0, 100));
     }},
    {"shm_size", [](Service& s, const Node& n, const std::string& p) { s.shm_size = bytes(n, p); }},
    {"pids_limit",
     [](Service& s, const Node& n, const std::string& p) { s.pids_limit = toInt(n, p); }},
    {"ulimits", setUlimits},
    {"cap_add",
     [](Service& s, const Node& n, const std::string& p) { s.cap_add = toStringList(n, p); }},
    {"cap_drop",
     [](Service& s, const Node& n, const std::string& p) { s.cap_drop = toStringList(n, p); }},
    {"security_opt",
     [](Service& s, const Node& n, const std::string& p) { s.security_opt = toStringList(n, p); }},
    {"sysctls",
     [](Service& s, const Node& n, const std::string& p) { s.sysctls = toStringMap(n, p); }},
    {"devices", setDevices},
    {"device_cgroup_rules",
     [](Service& s, const Node& n, const std::string& p) {
       s.device_cgroup_rules = toStringList(n, p);
     }},
    {"group_add", [](Service& s, const Node& n,
                     const std::string& p) { s.group_add = toStringList(n, p, false, true); }},
    {"ipc", [](Service& s, const Node& n, const std::string& p) { s.ipc = toString(n, p); }},
    {"pid", [](Service& s, const Node& n, const std::string& p) { s.pid = toString(n, p); }},
    {"uts", [](Service& s, const Node& n, const std::string& p) { s.uts = toString(n, p); }},
    {"cgroup",
     [](Service& s, const Node& n, const std::string& p) {
       s.cgroup = toString(n, p);
       if (s.cgroup != "host" && s.cgroup != "private") {
         yaml::fail(n, p, "invalid cgroup " + quote(s.cgroup), "use \"host\" or \"private\"");
       }
     }},
    {"cgroup_parent",
     [](Service& s, const Node& n, const std::string& p) { s.cgroup_parent = toString(n, p); }},
    {"userns_mode",
     [](Service& s, const Node& n, const std::string& p) { s.userns_mode = toString(n, p); }},
    {"oom_kill_disable",
     [](Service& s, const Node& n, const std::string& p) { s.oom_kill_disable = toBool(n, p); }},
    {"oom_score_adj",
     [](Service& s, const Node& n,
        const std::string& p) { s.oom_score_adj = static_cast<int>(toInt(n, p, -1000, 1000)); }},
    {"storage_opt",
     [](Service& s, const Node& n, const std::string& p) { s.storage_opt = toStringMap(n, p); }},
    {"blkio_config", setBlkio},
    {"gpus", setGpus},
    {"logging", setLogging},
};

}  // namespace

std::span<const KeyHandler> resourceKeys() {
  return kKeys;
}

}  // namespace stack::orchestrator::compose::service_keys
