// The converter's TaskTemplate.ContainerSpec: process, identity, mounts, health,
// secrets and configs.

#include <algorithm>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/units.hpp"
#include "swarm/converter_detail.hpp"

namespace stack::swarm::detail {
namespace {

std::string indexed(const std::string& key, size_t index) {
  return key + "[" + std::to_string(index) + "]";
}

std::vector<std::string> environment(const ConvertContext& context,
                                     const compose::Service& service) {
  std::vector<std::string> out;
  for (const auto& [name, value] : service.environment) {
    if (value) {
      out.push_back(name + "=" + *value);
    } else if (context.inputs.environment) {
      if (auto found = context.inputs.environment(name)) out.push_back(name + "=" + *found);
    }
  }
  return out;  // sorted: the map is
}

Json healthcheck(const ConvertContext& context, const compose::Service& service) {
  const compose::Healthcheck& h = *service.healthcheck;
  if (h.disable) return {{"Test", {"NONE"}}};
  Json out = Json::object();
  if (!h.test.empty()) out["Test"] = h.test;
  if (h.interval) out["Interval"] = nanos(*h.interval);
  if (h.timeout) out["Timeout"] = nanos(*h.timeout);
  if (h.start_period) out["StartPeriod"] = nanos(*h.start_period);
  if (h.retries) out["Retries"] = *h.retries;
  if (h.start_interval) {
    context.note(service, "healthcheck.start_interval", FindingAction::Ignored,
                 "needs Engine API 1.44; the check runs every interval from the start");
  }
  return out;
}

Json volumeMount(const ConvertContext& context, const compose::Service& service,
                 const compose::ServiceVolume& volume, size_t index) {
  Json mount = {{"Type", volume.type}, {"Target", volume.target}};
  if (volume.read_only) mount["ReadOnly"] = true;
  if (!volume.consistency.empty()) mount["Consistency"] = volume.consistency;
  const std::string key = indexed("volumes", index);
  if (volume.type == "volume") {
    Json options = Json::object();
    if (volume.volume && volume.volume->nocopy) options["NoCopy"] = true;
    if (volume.volume && !volume.volume->subpath.empty()) {
      context.note(service, key + ".volume.subpath", FindingAction::Ignored,
                   "needs Engine API 1.45; the whole volume is mounted");
    }
    if (!volume.source.empty()) {
      auto it = context.project.volumes.find(volume.source);
      const bool declared = it != context.project.volumes.end();
      mount["Source"] = declared && !it->second.name.empty()
                            ? it->second.name
                            : scopedName(context.project.name, volume.source);
      if (declared && !it->second.external) {
        runtime::StringMap labels = it->second.labels;
        labels[std::string(kNamespaceLabel)] = context.project.name;
        options["Labels"] = labels;
        if (!it->second.driver.empty() || !it->second.driver_opts.empty()) {
          options["DriverConfig"] = {{"Name", it->second.driver},
                                     {"Options", it->second.driver_opts}};
        }
      }
    }
    if (!options.empty()) mount["VolumeOptions"] = options;
  } else if (volume.type == "bind" || volume.type == "npipe") {
    mount["Source"] = volume.source;
    if (volume.bind && !volume.bind->propagation.empty()) {
      mount["BindOptions"] = {{"Propagation", volume.bind->propagation}};
    }
    if (volume.bind && !volume.bind->selinux.empty()) {
      context.note(service, key + ".bind.selinux", FindingAction::Ignored,
                   "Swarm does not relabel bind mounts");
    }
    context.note(service, key, FindingAction::Ignored,
                 "Swarm does not create a missing host path \"" + volume.source +
                     "\": it must exist on every node that may run the service");
  } else if (volume.type == "tmpfs") {
    Json options = Json::object();
    if (volume.tmpfs && volume.tmpfs->size) options["SizeBytes"] = *volume.tmpfs->size;
    if (volume.tmpfs && volume.tmpfs->mode) options["Mode"] = *volume.tmpfs->mode;
    if (!options.empty()) mount["TmpfsOptions"] = options;
  }
  return mount;
}

// The service-level `tmpfs` key ("/run" or "/run:size=64m,mode=1777").
Json tmpfsMount(const ConvertContext& context, const compose::Service& service,
                const std::string& entry, size_t index) {
  const size_t colon = entry.find(':');
  Json mount = {{"Type", "tmpfs"}, {"Target", entry.substr(0, colon)}};
  Json options = Json::object();
  std::string rest = colon == std::string::npos ? "" : entry.substr(colon + 1);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string option = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    if (option.rfind("size=", 0) == 0) {
      auto size = compose::parseByteSize(option.substr(5));
      if (!size)
        context.fail(service, indexed("tmpfs", index), "invalid size in \"" + entry + "\"");
      options["SizeBytes"] = *size;
    } else if (option.rfind("mode=", 0) == 0) {
      options["Mode"] = std::stoul(option.substr(5), nullptr, 8);
    } else {
      context.note(service, indexed("tmpfs", index), FindingAction::Ignored,
                   "tmpfs option \"" + option + "\" has no Swarm equivalent");
    }
  }
  if (!options.empty()) mount["TmpfsOptions"] = options;
  return mount;
}

Json mounts(const ConvertContext& context, const compose::Service& service) {
  Json out = Json::array();
  for (size_t i = 0; i < service.volumes.size(); ++i) {
    const auto& volume = service.volumes[i];
    if (volume.type == "image" || volume.type == "cluster") {
      context.note(service, indexed("volumes", i), FindingAction::Ignored,
                   "\"" + volume.type + "\" mounts need a newer Engine API; not mounted");
      continue;
    }
    out.push_back(volumeMount(context, service, volume, i));
  }
  for (size_t i = 0; i < service.tmpfs.size(); ++i) {
    out.push_back(tmpfsMount(context, service, service.tmpfs[i], i));
  }
  if (!service.tmpfs.empty()) {
    context.note(service, "tmpfs", FindingAction::Converted, "converted to tmpfs mounts");
  }
  return out;
}

// Secret or config references, sorted by name so that order never causes an update.
Json fileReferences(const ConvertContext& context, const compose::Service& service, bool secrets) {
  const auto& declared = secrets ? context.project.secrets : context.project.configs;
  const auto& references = secrets ? service.secrets : service.configs;
  std::vector<Json> out;
  for (const auto& ref : references) {
    auto it = declared.find(ref.source);
    std::string name = scopedName(context.project.name, ref.source);
    if (it != declared.end() && !it->second.name.empty()) name = it->second.name;
    std::string target = ref.target.empty() ? ref.source : ref.target;
    const std::string secrets_dir = "/run/secrets/";
    if (secrets && target.rfind(secrets_dir, 0) == 0) target = target.substr(secrets_dir.size());
    Json file = {{"Name", target},
                 {"UID", ref.uid.empty() ? "0" : ref.uid},
                 {"GID", ref.gid.empty() ? "0" : ref.gid},
                 {"Mode", ref.mode.value_or(0444)}};
    out.push_back({{"File", file}, {secrets ? "SecretName" : "ConfigName", name}});
  }
  const char* field = secrets ? "SecretName" : "ConfigName";
  std::stable_sort(out.begin(), out.end(), [field](const Json& a, const Json& b) {
    return a[field].get<std::string>() < b[field].get<std::string>();
  });
  return out;
}

void setIdentity(const compose::Service& service, Json& spec) {
  if (!service.hostname.empty()) spec["Hostname"] = service.hostname;
  if (!service.working_dir.empty()) spec["Dir"] = service.working_dir;
  if (!service.user.empty()) spec["User"] = service.user;
  if (!service.group_add.empty()) spec["Groups"] = service.group_add;
  if (service.init) spec["Init"] = *service.init;
  if (service.tty) spec["TTY"] = true;
  if (service.stdin_open) spec["OpenStdin"] = true;
  if (service.read_only) spec["ReadOnly"] = true;
  if (!service.stop_signal.empty()) spec["StopSignal"] = service.stop_signal;
  if (service.stop_grace_period) spec["StopGracePeriod"] = nanos(*service.stop_grace_period);
  if (!service.isolation.empty()) spec["Isolation"] = service.isolation;
  if (!service.sysctls.empty()) spec["Sysctls"] = service.sysctls;
  if (!service.cap_add.empty()) spec["CapabilityAdd"] = service.cap_add;
  if (!service.cap_drop.empty()) spec["CapabilityDrop"] = service.cap_drop;
}

void setNetworking(const compose::Service& service, Json& spec) {
  std::vector<std::string> hosts;
  for (const std::string& entry : service.extra_hosts) {
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) hosts.push_back(entry.substr(eq + 1) + " " + entry.substr(0, eq));
  }
  if (!hosts.empty()) spec["Hosts"] = hosts;
  Json dns = Json::object();
  if (!service.dns.empty()) dns["Nameservers"] = service.dns;
  if (!service.dns_search.empty()) dns["Search"] = service.dns_search;
  if (!service.dns_opt.empty()) dns["Options"] = service.dns_opt;
  if (!dns.empty()) spec["DNSConfig"] = dns;
}

}  // namespace

Json containerSpec(const ConvertContext& context, const compose::Service& service) {
  auto image = context.inputs.images.find(service.name);
  Json spec = {{"Image", image != context.inputs.images.end()
                             ? image->second
                             : compose::serviceImage(context.project, service)}};
  runtime::StringMap labels = service.labels;
  labels[std::string(kNamespaceLabel)] = context.project.name;
  spec["Labels"] = labels;
  if (service.entrypoint && !service.entrypoint->empty()) spec["Command"] = *service.entrypoint;
  if (service.entrypoint && service.entrypoint->empty()) {
    context.note(service, "entrypoint", FindingAction::Ignored,
                 "a Swarm service cannot reset the image's entrypoint to none");
  }
  if (service.command) spec["Args"] = *service.command;
  if (auto env = environment(context, service); !env.empty()) spec["Env"] = env;
  setIdentity(service, spec);
  setNetworking(service, spec);
  if (Json m = mounts(context, service); !m.empty()) spec["Mounts"] = m;
  if (service.healthcheck) spec["Healthcheck"] = healthcheck(context, service);
  if (Json s = fileReferences(context, service, true); !s.empty()) spec["Secrets"] = s;
  if (Json c = fileReferences(context, service, false); !c.empty()) spec["Configs"] = c;
  if (!service.ulimits.empty()) {
    Json ulimits = Json::array();
    for (const auto& [name, limit] : service.ulimits) {
      ulimits.push_back({{"Name", name}, {"Soft", limit.soft}, {"Hard", limit.hard}});
    }
    spec["Ulimits"] = ulimits;
  }
  return spec;
}

}  // namespace stack::swarm::detail
