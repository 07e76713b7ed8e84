#pragma once

// Shell completions and the man page, generated from the CLI11 definitions of the running
// binary (the same App that parses the command line), so they cannot drift from it. The
// build runs `stack completion bash|zsh` and `stack completion man` into build/share/ and
// `cmake --install` installs the results.

#include <CLI/CLI.hpp>
#include <string>

namespace stack::cli {

// A bash completion script: subcommands, their flags, and service names from
// `stack config --services` where a command takes services. Source it, or install it as
// share/bash-completion/completions/stack.
std::string bashCompletion(const CLI::App& root);

// A zsh completion function (#compdef stack), installed as _stack in a directory of $fpath.
std::string zshCompletion(const CLI::App& root);

// stack(1) in man(7) roff: global options, then every visible subcommand with its flags.
std::string manPage(const CLI::App& root, const std::string& version);

}  // namespace stack::cli
