#include "cli/format.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace stack::cli {

std::string humanAge(int64_t created) {
  using namespace std::chrono;
  const int64_t now = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  const int64_t s = std::max<int64_t>(0, now - created);
  auto plural = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  std::string text;
  if (s < 1)
    text = "Less than a second";
  else if (s < 60)
    text = plural(s, "second");
  else if (s / 60 == 1)
    text = "About a minute";
  else if (s < 3600)
    text = plural(s / 60, "minute");
  else if (s / 3600 == 1)
    text = "About an hour";
  else if (s < 48 * 3600)
    text = plural(s / 3600, "hour");
  else if (s < 7 * 24 * 3600 * 2)
    text = plural(s / 86400, "day");
  else if (s < 30 * 24 * 3600 * 3)
    text = plural(s / (7 * 86400), "week");
  else if (s < 365 * 24 * 3600 * 2)
    text = plural(s / (30 * 86400), "month");
  else
    text = plural(s / (365 * 86400), "year");
  return text + " ago";
}

std::string formatPorts(const std::vector<runtime::PortSummary>& ports) {
  std::vector<std::string> parts;
  for (const auto& port : ports) {
    std::string text;
    if (port.public_port != 0) {
      const std::string ip = port.ip.find(':') != std::string::npos ? "[" + port.ip + "]" : port.ip;
      text = (port.ip == "::" ? ":::" : ip + ":") + std::to_string(port.public_port) + "->";
    }
    text += std::to_string(port.private_port) + "/" + port.type;
    if (std::find(parts.begin(), parts.end(), text) == parts.end()) parts.push_back(text);
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

namespace {

// Columns a cell takes on a terminal: UTF-8 code points, so a truncation mark "…" (three
// bytes) counts as one.
size_t displayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

void printTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - displayWidth(row[i]) + 3, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace stack::cli
