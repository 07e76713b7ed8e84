// `stack graph [SERVICE...]`: the project's resolved dependency graph as DOT (default),
// Mermaid or JSON, on stdout or into `-o FILE`. A FILE ending in .svg, .png or .pdf is
// rendered by Graphviz's `dot`, which must be installed; any other name gets the text.
// `--timings` draws the last recorded up onto it (orchestrator/timings/critical_chain.hpp).

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "cli/command.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/commands/timings.hpp"
#include "core/error.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/timings/critical_chain.hpp"

extern char** environ;

namespace stack::cli {
namespace {

struct GraphFlags {
  std::vector<std::string> services;
  std::string format = "dot";
  std::string output;
  bool timings = false;
};

// The Graphviz output format for `path`, or "" when the file takes the text as it is.
std::string renderedFormat(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  for (const char* format : {"svg", "png", "pdf"}) {
    if (extension == std::string(".") + format) return format;
  }
  return "";
}

std::optional<std::string> findInPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

// Runs `dot -T<format> -o <output>` with `dot_text` on its standard input; dot's own
// complaints go to our stderr.
void renderWithGraphviz(const std::string& dot_text, const std::string& format,
                        const std::string& output) {
  const auto dot = findInPath("dot");
  if (!dot) {
    throw Error(ErrorKind::NotFound,
                "cannot render " + output + ": Graphviz's `dot` is not installed (not in PATH)",
                "install Graphviz (Debian: `apt-get install graphviz`), or write the DOT text "
                "with `stack graph -o graph.dot` and render it elsewhere");
  }
  int fds[2];
  if (::pipe(fds) != 0) throw Error(ErrorKind::Io, std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const std::string type = "-T" + format;
  std::vector<std::string> args = {*dot, type, "-o", output};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, dot->c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  if (spawned != 0) {
    ::close(fds[1]);
    throw Error(ErrorKind::Io, "cannot run " + *dot + ": " + std::strerror(spawned));
  }
  size_t written = 0;
  while (written < dot_text.size()) {
    const ssize_t n = ::write(fds[1], dot_text.data() + written, dot_text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // dot died; its exit status says why
    written += static_cast<size_t>(n);
  }
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(ErrorKind::Io, "Graphviz's dot failed to render " + output,
                "its message is above; check that the directory of the file exists");
  }
}

// Keeps the named services and what they depend on, transitively.
void keepOnly(orchestrator::graph::GraphView& view, const orchestrator::compose::Project& project,
              const std::vector<std::string>& services) {
  if (services.empty()) return;
  for (const auto& name : services) {
    if (!project.services.count(name) && !project.disabled_services.count(name)) {
      throw Error(ErrorKind::Usage, "no such service: " + name,
                  "`stack config --services` lists the services");
    }
  }
  std::set<std::string> keep;
  std::vector<std::string> todo(services.begin(), services.end());
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!keep.insert(name).second) continue;
    for (const auto& edge : view.edges) {
      if (edge.dependent == name) todo.push_back(edge.dependency);
    }
  }
  std::erase_if(view.nodes, [&](const auto& node) { return !keep.count(node.name); });
  std::erase_if(view.edges, [&](const auto& edge) { return !keep.count(edge.dependent); });
}

int runGraph(const GlobalOptions& globals, const GraphFlags& flags) {
  if (flags.format != "dot" && flags.format != "mermaid" && flags.format != "json") {
    throw Error(ErrorKind::Usage, "unsupported --format \"" + flags.format + "\"",
                "use --format dot, mermaid or json");
  }
  const std::string rendered = flags.output.empty() ? "" : renderedFormat(flags.output);
  if (!rendered.empty() && flags.format != "dot") {
    throw Error(
        ErrorKind::Usage,
        "-o " + flags.output + " is rendered by Graphviz from DOT, not from " + flags.format,
        "drop --format, or write the " + flags.format + " text to another file name");
  }
  Session session(globals);
  const orchestrator::compose::Project project = session.loadProject(flags.services);
  orchestrator::graph::GraphView view = orchestrator::compose::graphView(project);
  if (flags.timings) {
    const auto record = lastUp(project.name);
    orchestrator::timings::drawOnto(view, record, orchestrator::timings::criticalChain(record));
  }
  keepOnly(view, project, flags.services);
  std::string text = flags.format == "json"      ? orchestrator::graph::renderJson(view)
                     : flags.format == "mermaid" ? orchestrator::graph::renderMermaid(view)
                                                 : orchestrator::graph::renderDot(view);
  if (flags.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!rendered.empty()) {
    renderWithGraphviz(text, rendered, flags.output);
    return 0;
  }
  std::ofstream out(flags.output, std::ios::binary);
  out << text;
  if (!out.flush()) {
    throw Error(ErrorKind::Io, "cannot write " + flags.output + ": " + std::strerror(errno));
  }
  return 0;
}

}  // namespace

void addGraphCommand(CommandSetup setup) {
  auto flags = std::make_shared<GraphFlags>();
  CLI::App* command =
      setup.app.add_subcommand("graph", "Show the dependency graph of the services");
  command->add_option("services", flags->services,
                      "Services (with what they depend on); all when none is named");
  command->add_option("--format", flags->format, "Output format: dot, mermaid or json");
  command->add_option("-o,--output", flags->output,
                      "Write to this file; .svg, .png and .pdf are rendered by Graphviz");
  command->add_flag("--timings", flags->timings,
                    "Draw the last up onto the graph: ready times, the critical chain in red");
  auto& globals = setup.globals;
  command->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runGraph(globals, *flags); };
  });
}

}  // namespace stack::cli
