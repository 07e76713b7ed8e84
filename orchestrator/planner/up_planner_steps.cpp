// planUp, part two: turning decisions into steps, each placed after exactly what it needs.

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "orchestrator/planner/up_planner.hpp"

namespace stack::orchestrator::planner::detail {
namespace {

runtime::StringMap resourceLabels(const std::string& project, std::string_view kind_label,
                                  const std::string& key, const compose::StringMap& user) {
  runtime::StringMap out(user.begin(), user.end());
  out[std::string(compose::labels::kProject)] = project;
  out[std::string(kind_label)] = key;
  out[std::string(compose::labels::kVersion)] = std::string(compose::labels::kStackVersion);
  return out;
}

runtime::NetworkCreateRequest networkRequest(const compose::Project& project,
                                             const std::string& key,
                                             const compose::NetworkConfig* config) {
  runtime::NetworkCreateRequest request;
  request.name = networkName(project, key);
  request.labels = resourceLabels(project.name, compose::labels::kNetwork, key,
                                  config ? config->labels : compose::StringMap{});
  if (!config) return request;
  if (!config->driver.empty()) request.driver = config->driver;
  request.internal = config->internal;
  request.attachable = config->attachable.value_or(false);
  request.enable_ipv6 = config->enable_ipv6.value_or(false);
  request.options = {config->driver_opts.begin(), config->driver_opts.end()};
  request.ipam_driver = config->ipam_driver;
  request.ipam_options = {config->ipam_options.begin(), config->ipam_options.end()};
  for (const auto& pool : config->ipam_config) {
    request.ipam_config.push_back({pool.subnet,
                                   pool.ip_range,
                                   pool.gateway,
                                   {pool.aux_addresses.begin(), pool.aux_addresses.end()}});
  }
  return request;
}

// Anonymous volumes of the replaced container, by target, so their data survives.
std::map<std::string, std::string> anonymousVolumes(const compose::Service& service,
                                                    const runtime::ContainerSummary& container) {
  std::map<std::string, std::string> out;
  for (const auto& volume : service.volumes) {
    if (volume.type != "volume" || !volume.source.empty()) continue;
    for (const auto& mount : container.mounts) {
      if (mount.type == "volume" && mount.destination == volume.target && !mount.name.empty()) {
        out[volume.target] = mount.name;
      }
    }
  }
  return out;
}

void append(std::vector<size_t>& to, const std::vector<size_t>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// Pins every endpoint to the id of the network observed under its name, so the container
// keeps working should a duplicate of that name appear (see ObservedState).
void pinNetworks(ContainerSpec& spec, const ObservedState& observed) {
  auto pin = [&](const std::string& network, runtime::EndpointSettings& endpoint) {
    auto it = observed.networks.find(network);
    if (it != observed.networks.end()) endpoint.network_id = it->second.id;
  };
  for (auto& [network, endpoint] : spec.create.networks) pin(network, endpoint);
  for (auto& connection : spec.extra_networks) pin(connection.network, connection.endpoint);
}

}  // namespace

void UpPlanner::planNetworks() {
  std::set<std::string> used = options_.extra_networks;
  for (const auto& name : selected_) {
    for (const auto& key : serviceNetworkKeys(project_.services.at(name))) used.insert(key);
  }
  std::set<std::string> keys = used;
  for (const auto& [key, _] : project_.networks) {
    if (key != "default") keys.insert(key);  // declared networks exist even when unused
  }
  for (const auto& key : keys) {
    auto declared = project_.networks.find(key);
    const compose::NetworkConfig* config =
        declared == project_.networks.end() ? nullptr : &declared->second;
    const std::string name = networkName(project_, key);
    auto existing = observed_.networks.find(name);
    if (config && config->external) {
      if (existing == observed_.networks.end()) {
        throw Error(ErrorKind::NotFound,
                    "network " + name + " declared as external, but could not be found",
                    "create it with `docker network create " + name +
                        "`, or drop `external: true` so stack creates it");
      }
      continue;
    }
    if (existing != observed_.networks.end()) {
      auto project_label = existing->second.labels.find(std::string(compose::labels::kProject));
      if (project_label == existing->second.labels.end() ||
          project_label->second != project_.name) {
        result_.warnings.push_back("a network with name " + name +
                                   " exists but was not created for project \"" + project_.name +
                                   "\"; set `external: true` to use an existing network");
      }
      continue;
    }
    Step step{.action = StepAction::CreateNetwork, .target = name, .reason = "missing"};
    step.network = networkRequest(project_, key, config);
    network_steps_[key] = result_.plan.add(std::move(step));
  }
}

void UpPlanner::planVolumes() {
  for (const auto& [key, config] : project_.volumes) {
    const std::string name = volumeName(project_, key);
    const bool exists = observed_.volumes.count(name) != 0;
    if (config.external) {
      if (!exists) {
        throw Error(ErrorKind::NotFound,
                    "volume \"" + name + "\" declared as external, but could not be found",
                    "create it with `docker volume create " + name +
                        "`, or drop `external: true` so stack creates it");
      }
      continue;
    }
    if (exists) continue;
    Step step{.action = StepAction::CreateVolume, .target = name, .reason = "missing"};
    step.volume = runtime::VolumeCreateRequest{
        name,
        config.driver,
        {config.driver_opts.begin(), config.driver_opts.end()},
        resourceLabels(project_.name, compose::labels::kVolume, key, config.labels)};
    volume_steps_[key] = result_.plan.add(std::move(step));
  }
}

void UpPlanner::planOrphans() {
  std::vector<std::string> orphans;
  for (const auto& container : observed_.containers) {
    const std::string service = label(container, compose::labels::kService);
    if (label(container, compose::labels::kOneoff) == "True") continue;
    if (project_.services.count(service) || project_.disabled_services.count(service)) continue;
    if (options_.remove_orphans) {
      remove(container, "orphan", {});
    } else {
      orphans.push_back(container.name);
    }
  }
  if (orphans.empty()) return;
  std::string list;
  for (const auto& name : orphans) list += (list.empty() ? "" : " ") + name;
  result_.warnings.push_back("Found orphan containers ([" + list +
                             "]) for this project. If you removed or renamed this service in "
                             "your compose file, you can run this command with the "
                             "--remove-orphans flag to clean it up.");
}

void UpPlanner::planDuplicateNetworks() {
  addDuplicateNetworkRemovals(result_.plan, project_.name, observed_, removals_, result_.warnings);
}

size_t UpPlanner::remove(const runtime::ContainerSummary& container, std::string reason,
                         std::vector<size_t> after) {
  const size_t id = addRemoval(result_.plan, container, std::move(reason), std::move(after),
                               options_.timeout_seconds);
  removals_[container.name] = id;
  return id;
}

void UpPlanner::planRestartStops(const std::string& name) {
  auto it = decisions_.find(name);
  if (it == decisions_.end() || !it->second.restart) return;
  for (auto& slot : it->second.slots) {
    if (slot.action != SlotAction::Keep && slot.action != SlotAction::Start) continue;
    if (slot.current->state == "running") {
      Step stop{.action = StepAction::StopContainer,
                .service = name,
                .target = slot.current->name,
                .after = dependentStops(name),
                .reason = "restart after its dependency is recreated"};
      stop.timeout_seconds = options_.timeout_seconds;
      restart_stops_[name].push_back(result_.plan.add(std::move(stop)));
    }
    slot.action = SlotAction::Start;
  }
}

// Stops of dependents that restart with `name`: they must stop before `name` does.
std::vector<size_t> UpPlanner::dependentStops(const std::string& name) const {
  std::vector<size_t> out;
  for (const auto& dependent : graph_.dependentsOf(name)) {
    auto it = restart_stops_.find(dependent);
    if (it != restart_stops_.end()) append(out, it->second);
  }
  return out;
}

std::vector<size_t> UpPlanner::gatesFor(const compose::Service& service) {
  std::vector<size_t> gates;
  for (const auto& [dependency, spec] : service.depends_on) {
    if (!selected_.count(dependency) || !project_.services.count(dependency)) continue;
    auto key = std::pair(dependency, spec.condition);
    auto it = gates_.find(key);
    if (it == gates_.end()) {
      Step gate{.action = StepAction::AwaitDependency,
                .service = dependency,
                .target = dependency,
                .subject = spec.condition,
                .after = started_[dependency]};
      gate.optional = !spec.required;
      it = gates_.emplace(key, result_.plan.add(std::move(gate))).first;
    }
    gates.push_back(it->second);
  }
  return gates;
}

std::vector<size_t> UpPlanner::resourcesFor(const compose::Service& service) const {
  std::vector<size_t> out;
  for (const auto& key : serviceNetworkKeys(service)) {
    if (auto it = network_steps_.find(key); it != network_steps_.end()) out.push_back(it->second);
  }
  for (const auto& volume : service.volumes) {
    if (volume.type != "volume") continue;
    if (auto it = volume_steps_.find(volume.source); it != volume_steps_.end()) {
      out.push_back(it->second);
    }
  }
  return out;
}

void UpPlanner::planService(const compose::Service& service) {
  const auto& decision = decisions_.at(service.name);
  const bool starts =
      !options_.no_start && std::any_of(decision.slots.begin(), decision.slots.end(),
                                        [](const Slot& s) { return s.action != SlotAction::Keep; });
  const std::vector<size_t> gates = starts ? gatesFor(service) : std::vector<size_t>{};
  // Leftovers go first: a replacement may need the temporary name a leftover holds.
  std::map<int, std::vector<size_t>> leftovers;  // slot number -> removals
  for (const auto* container : decision.surplus) {
    const bool scaled = numberOf(*container) > static_cast<int>(decision.slots.size());
    leftovers[numberOf(*container)].push_back(
        remove(*container, scaled ? "scale down" : "leftover of an interrupted recreate", {}));
  }
  for (const auto& slot : decision.slots) {
    std::vector<size_t> before = resourcesFor(service);
    append(before, leftovers[slot.number]);
    planSlot(service, slot, gates, before);
  }
}

size_t UpPlanner::addCreate(const compose::Service& service, const Slot& slot,
                            const std::string& name, const std::vector<size_t>& before,
                            std::vector<size_t>& ready) {
  ContainerIdentity identity;
  identity.name = serviceContainerName(project_, service, slot.number);
  identity.number = slot.number;
  auto hash = desired_.config_hashes.find(service.name);
  if (hash != desired_.config_hashes.end()) identity.config_hash = hash->second;
  auto image = observed_.image_ids.find(serviceImage(project_, service));
  if (image != observed_.image_ids.end()) identity.image_id = image->second;
  if (slot.current) identity.inherited_volumes = anonymousVolumes(service, *slot.current);

  ContainerSpec spec = containerSpec(project_, service, identity);
  spec.create.name = name;
  if (name != identity.name) {
    spec.create.config.labels[std::string(compose::labels::kReplace)] = slot.current->name;
  }
  pinNetworks(spec, observed_);
  auto extra = spec.extra_networks;
  std::vector<runtime::ContainerFile> files = std::move(spec.files);
  spec.files.clear();
  Step create{.action = StepAction::CreateContainer,
              .service = service.name,
              .target = name,
              .after = before,
              .reason = slot.reason};
  create.container = std::move(spec);
  const size_t created = result_.plan.add(std::move(create));
  ready.push_back(created);
  for (auto& connection : extra) {
    Step connect{.action = StepAction::ConnectNetwork,
                 .service = service.name,
                 .target = name,
                 .subject = connection.network,
                 .after = {created}};
    connect.endpoint = std::move(connection.endpoint);
    ready.push_back(result_.plan.add(std::move(connect)));
  }
  if (!files.empty()) ready.push_back(addCopy(service, name, std::move(files), {created}));
  return created;
}

size_t UpPlanner::addCopy(const compose::Service& service, const std::string& container,
                          std::vector<runtime::ContainerFile> files, std::vector<size_t> after) {
  Step copy{.action = StepAction::CopyFiles,
            .service = service.name,
            .target = container,
            .after = std::move(after)};
  copy.files = std::move(files);
  return result_.plan.add(std::move(copy));
}

void UpPlanner::planSlot(const compose::Service& service, const Slot& slot,
                         const std::vector<size_t>& gates, const std::vector<size_t>& before) {
  const std::string final_name = serviceContainerName(project_, service, slot.number);
  std::vector<size_t> ready;  // what the start waits for, besides the gates
  switch (slot.action) {
    case SlotAction::Keep:
      return;
    case SlotAction::Create:
      addCreate(service, slot, final_name, before, ready);
      break;
    case SlotAction::Recreate: {
      const std::string temporary = slot.current->id.substr(0, 12) + "_" + final_name;
      const size_t created = addCreate(service, slot, temporary, before, ready);
      std::vector<size_t> before_removal = dependentStops(service.name);
      before_removal.push_back(created);
      const size_t removed = remove(*slot.current, "replaced", before_removal);
      ready.push_back(removed);
      Step rename{.action = StepAction::RenameContainer,
                  .service = service.name,
                  .target = temporary,
                  .subject = final_name,
                  .after = ready};
      ready = {result_.plan.add(std::move(rename))};
      break;
    }
    case SlotAction::Start:
      if (slot.current->name != final_name) {
        Step rename{.action = StepAction::RenameContainer,
                    .service = service.name,
                    .target = slot.current->name,
                    .subject = final_name,
                    .reason = slot.reason};
        ready.push_back(result_.plan.add(std::move(rename)));
      }
      // Again before every start: an up killed between create and copy left none.
      if (auto files = serviceFiles(project_, service); !files.empty() && !options_.no_start) {
        ready = {addCopy(service, final_name, std::move(files), ready)};
      }
      break;
  }
  if (options_.no_start) return;
  append(ready, gates);
  Step start{.action = StepAction::StartContainer,
             .service = service.name,
             .target = final_name,
             .after = ready,
             .reason = slot.action == SlotAction::Start ? slot.reason : ""};
  started_[service.name].push_back(result_.plan.add(std::move(start)));
}

}  // namespace stack::orchestrator::planner::detail
