// `stack images`: the image each of the project's containers uses. Needs only the project
// name.

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/view_format.hpp"
#include "cli/format.hpp"

namespace stack::cli {
namespace {

struct ImagesFlags {
  bool quiet = false;
  std::string format = "table";
  std::vector<std::string> services;
};

std::string withoutAlgorithm(const std::string& id) {
  const auto colon = id.find(':');
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

std::string orNone(const std::string& text) {
  return text.empty() ? "<none>" : text;
}

void print(const std::vector<orchestrator::ContainerImage>& images, const ImagesFlags& flags) {
  if (flags.quiet) {
    std::vector<std::string> ids;
    for (const auto& image : images) {
      const std::string id = withoutAlgorithm(image.id);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    for (const auto& id : ids) std::printf("%s\n", id.c_str());
  } else if (flags.format == "json") {
    // Keys in docker compose's order.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& image : images) {
      list.push_back({{"ID", image.id},
                      {"ContainerName", image.container},
                      {"Repository", image.repository},
                      {"Tag", image.tag},
                      {"Platform", image.platform},
                      {"Size", image.size},
                      {"LastTagTime", image.created}});
    }
    std::printf("%s\n", list.dump().c_str());
  } else {
    std::vector<std::vector<std::string>> rows{
        {"CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"}};
    for (const auto& image : images) {
      const auto created = parseRfc3339(image.created);
      rows.push_back({image.container, orNone(image.repository), orNone(image.tag), image.platform,
                      withoutAlgorithm(image.id).substr(0, 12), humanSize(image.size),
                      created ? humanAge(*created) : "N/A"});
    }
    printColumns(rows, 3, 20);
  }
}

int runImages(const GlobalOptions& globals, const ImagesFlags& flags) {
  requireTableOrJson(flags.format);
  Session session(globals);
  const std::string project = session.identity().name;
  const std::set<std::string> services = toSet(flags.services);
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const auto images = co_await controller.images(project, services);
    print(images, flags);
    co_return 0;
  });
}

}  // namespace

void addImagesCommand(CommandSetup setup) {
  auto flags = std::make_shared<ImagesFlags>();
  CLI::App* images =
      setup.app.add_subcommand("images", "List images used by the created containers");
  images->add_flag("-q,--quiet", flags->quiet, "Only display IDs");
  images->add_option("--format", flags->format, "Format the output. Values: [table | json]");
  images->add_option("services", flags->services, "Services to list");
  auto& globals = setup.globals;
  images->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runImages(globals, *flags); };
  });
}

}  // namespace stack::cli
