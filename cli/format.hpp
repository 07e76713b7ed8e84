#pragma once

// Text formatting shared by the commands' table output.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"

namespace stack::cli {

// "2 minutes ago", as docker prints ages (go-units HumanDuration).
std::string humanAge(int64_t created_unix_seconds);

// "0.0.0.0:8080->80/tcp, :::8080->80/tcp" as docker ps prints ports.
std::string formatPorts(const std::vector<runtime::PortSummary>& ports);

// Prints rows as left-aligned columns separated by three spaces, like docker's tables.
void printTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace stack::cli
