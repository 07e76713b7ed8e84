// ProjectController: the read-only views of `ls`, `top`, `port`, `images` and `events`,
// each from the fewest engine calls that answer it (one list call, then one call per
// container or image only where the list does not carry the answer).

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "orchestrator/project_controller.hpp"

namespace stack::orchestrator {
namespace {

std::vector<std::string> splitComma(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// "exited(1), running(2)": docker compose's combined status.
std::string combinedStatus(const std::vector<const runtime::ContainerSummary*>& containers) {
  std::map<std::string, int> counts;
  for (const auto* container : containers) ++counts[container->state];
  std::string out;
  for (const auto& [state, count] : counts) {
    out += (out.empty() ? "" : ", ") + state + "(" + std::to_string(count) + ")";
  }
  return out;
}

std::string combinedConfigFiles(const std::vector<const runtime::ContainerSummary*>& containers) {
  std::vector<std::string> files;
  for (const auto* container : containers) {
    auto it = container->labels.find(std::string(compose::labels::kConfigFiles));
    if (it == container->labels.end()) return "N/A";
    for (const auto& file : splitComma(it->second)) {
      if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
    }
  }
  std::string out;
  for (const auto& file : files) out += (out.empty() ? "" : ",") + file;
  return out;
}

bool isIdReference(const std::string& image) {
  if (image.rfind("sha256:", 0) == 0) return true;
  return image.size() == 64 && image.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// "docker.io/library/redis:7" -> ("redis", "7"); "app" -> ("app", "latest"); an id -> ("", "").
std::pair<std::string, std::string> repositoryAndTag(const std::string& image) {
  if (image.empty() || isIdReference(image)) return {};
  std::string name = image.substr(0, image.find('@'));
  std::string tag;
  const auto slash = name.rfind('/');
  const auto colon = name.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    tag = name.substr(colon + 1);
    name.resize(colon);
  } else if (image.find('@') == std::string::npos) {
    tag = "latest";
  }
  for (const char* prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/"}) {
    if (name.rfind(prefix, 0) == 0) {
      name = name.substr(std::string_view(prefix).size());
      break;
    }
  }
  return {name, tag};
}

ContainerImage imageRow(const runtime::ContainerSummary& container,
                        const runtime::ImageDetails& image) {
  ContainerImage row;
  row.container = container.name;
  row.id = image.id;
  std::tie(row.repository, row.tag) = repositoryAndTag(container.image);
  row.platform = image.os + "/" + image.architecture;
  if (image.raw.is_object() && image.raw.contains("Variant") && image.raw["Variant"].is_string() &&
      !image.raw["Variant"].get<std::string>().empty()) {
    row.platform += "/" + image.raw["Variant"].get<std::string>();
  }
  row.size = image.size;
  row.created = image.created;
  const auto& raw = image.raw;
  if (raw.is_object() && raw.contains("Metadata") && raw["Metadata"].is_object()) {
    const auto& tagged = raw["Metadata"].value("LastTagTime", std::string());
    if (!tagged.empty() && tagged.rfind("0001-01-01", 0) != 0) row.created = tagged;
  }
  return row;
}

// The running container `port` reads: container-number `index`, else the lowest number,
// services' own containers before one-off ones.
const runtime::ContainerSummary* portContainer(std::vector<runtime::ContainerSummary>& containers,
                                               int index) {
  if (index > 0) {
    std::erase_if(containers, [&](const auto& c) { return planner::numberOf(c) != index; });
  }
  std::sort(containers.begin(), containers.end(), [](const auto& a, const auto& b) {
    const bool a_oneoff = planner::label(a, compose::labels::kOneoff) == "True";
    const bool b_oneoff = planner::label(b, compose::labels::kOneoff) == "True";
    return std::pair(a_oneoff, planner::numberOf(a)) < std::pair(b_oneoff, planner::numberOf(b));
  });
  return containers.empty() ? nullptr : &containers.front();
}

}  // namespace

Awaitable<std::vector<ProjectSummary>> ProjectController::listProjects(bool all) {
  runtime::ListFilter filter;
  filter.labels = {std::string(compose::labels::kProject),
                   std::string(compose::labels::kConfigHash)};
  filter.all = all;
  const auto containers = co_await engine_.listContainers(filter);
  std::map<std::string, std::vector<const runtime::ContainerSummary*>> by_project;
  for (const auto& container : containers) {
    by_project[planner::label(container, compose::labels::kProject)].push_back(&container);
  }
  std::vector<ProjectSummary> out;
  for (const auto& [name, members] : by_project) {
    out.push_back({name, combinedStatus(members), combinedConfigFiles(members)});
  }
  co_return out;
}

Awaitable<std::vector<ContainerProcesses>> ProjectController::top(
    const std::string& project_name, const std::set<std::string>& services) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  filter.all = false;
  auto containers = co_await engine_.listContainers(filter);
  std::erase_if(containers, [&](const auto& c) {
    return !services.empty() && !services.count(planner::label(c, compose::labels::kService));
  });
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<ContainerProcesses> out;
  const std::string ps_args;  // the engine's default columns, as docker compose asks
  for (const auto& container : containers) {
    ContainerProcesses entry;
    entry.container = container.name;
    entry.service = planner::label(container, compose::labels::kService);
    if (entry.service.empty()) entry.service = container.name;
    entry.replica = planner::label(container, compose::labels::kContainerNumber);
    try {
      entry.top = co_await engine_.top(container.id, ps_args);
    } catch (const Error& error) {
      // Stopped or removed since it was listed: it has no processes to show.
      if (error.kind() != ErrorKind::NotFound && error.kind() != ErrorKind::Conflict) throw;
      continue;
    }
    out.push_back(std::move(entry));
  }
  co_return out;
}

Awaitable<runtime::PortSummary> ProjectController::port(const std::string& project_name,
                                                        const std::string& service,
                                                        uint16_t private_port,
                                                        const std::string& protocol, int index) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name),
                   compose::labels::filter(compose::labels::kService, service)};
  filter.all = false;
  auto containers = co_await engine_.listContainers(filter);
  const auto* container = portContainer(containers, index);
  if (!container) {
    throw Error(ErrorKind::NotFound,
                "service \"" + service + "\" is not running" +
                    (index > 0 ? " container #" + std::to_string(index) : std::string()),
                "`stack ps -a` shows the project's containers");
  }
  const runtime::PortSummary* found = nullptr;
  std::string known;
  for (const auto& port : container->ports) {
    const std::string text = std::to_string(port.private_port) + "/" + port.type;
    if (known.find(text) == std::string::npos) known += (known.empty() ? "" : ", ") + text;
    if (port.private_port != private_port || port.type != protocol || port.public_port == 0) {
      continue;
    }
    // Prefer the IPv4 binding: the engine lists 0.0.0.0 and :: in no fixed order.
    if (!found ||
        (found->ip.find(':') != std::string::npos && port.ip.find(':') == std::string::npos)) {
      found = &port;
    }
  }
  if (!found) {
    throw Error(ErrorKind::NotFound,
                "no port " + std::to_string(private_port) + "/" + protocol +
                    " published for container " + container->name +
                    (known.empty() ? std::string() : ": " + known),
                "publish it under services." + service + ".ports");
  }
  co_return *found;
}

Awaitable<std::vector<ContainerImage>> ProjectController::images(
    const std::string& project_name, const std::set<std::string>& services) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  auto containers = co_await engine_.listContainers(filter);
  std::erase_if(containers, [&](const auto& c) {
    return !services.empty() && !services.count(planner::label(c, compose::labels::kService));
  });
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<std::string, std::optional<runtime::ImageDetails>> inspected;  // by image id
  std::vector<ContainerImage> out;
  for (const auto& container : containers) {
    auto it = inspected.find(container.image_id);
    if (it == inspected.end()) {
      std::optional<runtime::ImageDetails> details;
      try {
        details = co_await engine_.inspectImage(container.image_id);
      } catch (const Error& error) {
        if (error.kind() != ErrorKind::NotFound) throw;  // removed since: nothing to show
      }
      it = inspected.emplace(container.image_id, std::move(details)).first;
    }
    if (it->second) out.push_back(imageRow(container, *it->second));
  }
  co_return out;
}

Awaitable<void> ProjectController::events(const std::string& project_name,
                                          const EventsOptions& options,
                                          const ProjectEventSink& sink) {
  runtime::EventFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  filter.types = {"container"};
  filter.since = options.since;
  filter.until = options.until;
  auto stream = co_await engine_.events(filter);
  while (auto event = co_await stream->next()) {
    if (event->type != "container") continue;
    auto& attributes = event->attributes;
    if (attributes[std::string(compose::labels::kOneoff)] == "True") continue;
    const std::string service = attributes[std::string(compose::labels::kService)];
    if (!options.services.empty() && std::find(options.services.begin(), options.services.end(),
                                               service) == options.services.end()) {
      continue;
    }
    ProjectEvent out;
    out.time_nano = event->time_nano ? event->time_nano : event->time * 1'000'000'000;
    out.service = service;
    out.container = event->actor_id;
    out.action = event->action;
    for (const auto& [key, value] : attributes) {
      if (key.rfind("com.docker.compose.", 0) != 0) out.attributes[key] = value;
    }
    sink(out);
  }
  if (options.until.empty()) {
    throw Error(ErrorKind::Engine, "the engine closed the event stream",
                "check that dockerd is still running, then run the command again");
  }
}

}  // namespace stack::orchestrator
