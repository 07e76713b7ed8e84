// `stack completion bash|zsh|man`: the completion scripts and the man page, generated from
// this binary's own CLI definitions (cli/reference.hpp). The build installs their output.

#include "cli/commands/completion.hpp"

#include <cstdio>

#include "cli/reference.hpp"

namespace stack::cli {

void addCompletionCommand(CommandSetup setup) {
  auto kind = std::make_shared<std::string>();
  CLI::App* completion = setup.app.add_subcommand(
      "completion", "Print the bash or zsh completion script, or the man page (man)");
  completion->add_option("kind", *kind, "bash, zsh or man")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "man"}));
  const CLI::App& root = setup.app;
  completion->callback([kind, &root, &action = setup.action] {
    action = [kind, &root] {
      std::string text = *kind == "bash"  ? bashCompletion(root)
                         : *kind == "zsh" ? zshCompletion(root)
                                          : manPage(root, STACK_VERSION);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return 0;
    };
  });
}

}  // namespace stack::cli
