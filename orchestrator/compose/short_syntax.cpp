#include "orchestrator/compose/short_syntax.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <optional>
#include <sstream>

namespace stack::orchestrator::compose {
namespace {

using yaml::Node;

constexpr const char* kPortForm =
    "expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], "
    "e.g. \"8080:80\" or \"127.0.0.1:5432:5432/tcp\"";

struct PortRange {
  uint32_t start = 0;
  uint32_t end = 0;
  bool empty() const { return start == 0 && end == 0; }
};

std::optional<uint32_t> parsePortNumber(std::string_view text, uint32_t min) {
  uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > 65535) {
    return std::nullopt;
  }
  return value;
}

PortRange parseRange(std::string_view text, uint32_t min, const Node& spec, const std::string& path,
                     const char* what) {
  auto dash = text.find('-');
  auto first = parsePortNumber(text.substr(0, dash), min);
  auto last = dash == std::string_view::npos ? first : parsePortNumber(text.substr(dash + 1), min);
  if (!first || !last || *last < *first) {
    yaml::fail(spec, path,
               "invalid " + std::string(what) + " \"" + std::string(text) + "\" in port \"" +
                   spec.value + "\": ports are numbers from 1 to 65535, or a range like 8000-8010",
               kPortForm);
  }
  return {*first, *last};
}

bool validIp(const std::string& ip) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, ip.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, ip.c_str(), buffer) == 1;
}

Node plain(std::string text, const yaml::Mark& mark) {
  return Node::scalar(std::move(text), mark, false);
}
Node quoted(std::string text, const yaml::Mark& mark) {
  return Node::scalar(std::move(text), mark, true);
}

// "ro,z,nocopy,rshared": access mode, SELinux label, nocopy and propagation.
void applyVolumeOptions(const std::string& list, const yaml::Mark& mark, Node& volume,
                        Node& bind_options, Node& volume_options) {
  std::stringstream options(list);
  for (std::string option; std::getline(options, option, ',');) {
    if (option == "ro") {
      volume.set("read_only", plain("true", mark));
    } else if (option == "rw") {
      volume.erase("read_only");
    } else if (option == "nocopy") {
      volume_options.set("nocopy", plain("true", mark));
    } else if (option == "z" || option == "Z") {
      bind_options.set("selinux", quoted(option, mark));
    } else if (option == "shared" || option == "rshared" || option == "slave" ||
               option == "rslave" || option == "private" || option == "rprivate") {
      bind_options.set("propagation", quoted(option, mark));
    }
    // Other options (cached, delegated, consistent) are ignored, as compose does.
  }
}

}  // namespace

std::vector<Node> parsePortSpec(const Node& spec, const std::string& path) {
  std::string raw = spec.value;
  std::string protocol = "tcp";
  if (auto slash = raw.rfind('/'); slash != std::string::npos) {
    protocol = raw.substr(slash + 1);
    raw.resize(slash);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
      yaml::fail(spec, path, "invalid protocol \"" + protocol + "\" in port \"" + spec.value + "\"",
                 "use tcp, udp or sctp");
    }
  }
  std::vector<std::string> parts;
  std::stringstream stream(raw);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (raw.empty() || raw.back() == ':') parts.push_back("");
  std::string ip, host, container = parts.back();
  if (parts.size() == 2) host = parts[0];
  if (parts.size() >= 3) {
    host = parts[parts.size() - 2];
    for (size_t i = 0; i + 2 < parts.size(); ++i) ip += (i ? ":" : "") + parts[i];
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    if (!validIp(ip)) {
      yaml::fail(spec, path, "invalid IP address \"" + ip + "\" in port \"" + spec.value + "\"",
                 kPortForm);
    }
  }
  if (container.empty())
    yaml::fail(spec, path, "no container port in \"" + spec.value + "\"", kPortForm);
  PortRange target = parseRange(container, 1, spec, path, "container port");
  PortRange published = host.empty() ? PortRange{} : parseRange(host, 0, spec, path, "host port");
  bool host_range = published.end != published.start;
  if (!published.empty() && target.end != target.start &&
      published.end - published.start != target.end - target.start) {
    yaml::fail(spec, path, "port \"" + spec.value + "\" maps ranges of different sizes",
               "a container port range needs a host range of the same size");
  }
  std::vector<Node> out;
  for (uint32_t port = target.start; port <= target.end; ++port) {
    Node mapping = Node::mapping(spec.mark);
    mapping.set("mode", quoted("ingress", spec.mark));
    if (!ip.empty()) mapping.set("host_ip", quoted(ip, spec.mark));
    mapping.set("target", plain(std::to_string(port), spec.mark));
    if (!published.empty()) {
      std::string value =
          host_range && target.end == target.start
              ? std::to_string(published.start) + "-" + std::to_string(published.end)
              : std::to_string(published.start + (port - target.start));
      mapping.set("published", quoted(value, spec.mark));
    }
    mapping.set("protocol", quoted(protocol, spec.mark));
    out.push_back(std::move(mapping));
  }
  return out;
}

std::string cleanPath(const std::string& path) {
  if (path.empty()) return path;
  std::string clean = std::filesystem::path(path).lexically_normal().string();
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  return clean.empty() ? "." : clean;
}

Node parseVolumeSpec(const Node& spec, const std::string& path) {
  const std::string& raw = spec.value;
  const char* form =
      "expected [SOURCE:]TARGET[:OPTIONS], e.g. \"./data:/data:ro\" or \"db:/var/lib/db\"";
  if (raw.empty()) yaml::fail(spec, path, "empty volume", form);
  Node volume = Node::mapping(spec.mark);
  if (raw.size() <= 2) {
    volume.set("type", quoted("volume", spec.mark));
    volume.set("target", quoted(raw, spec.mark));
    return volume;
  }
  std::vector<std::string> parts;
  std::string buffer;
  int depth = 0;  // `${...}` left by --no-interpolate may contain colons
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '$' && i + 1 < raw.size() && raw[i + 1] == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (c == ':' && depth == 0) {
      parts.push_back(std::move(buffer));
      buffer.clear();
    } else {
      buffer.push_back(c);
    }
  }
  parts.push_back(std::move(buffer));
  if (parts.size() > 3) yaml::fail(spec, path, "too many colons in volume \"" + raw + "\"", form);
  for (const auto& part : parts) {
    if (part.empty())
      yaml::fail(spec, path, "empty section between colons in volume \"" + raw + "\"", form);
  }
  std::string source = parts.size() > 1 ? parts[0] : "";
  std::string target = parts.size() > 1 ? parts[1] : parts[0];
  bool bind = !source.empty() && (source[0] == '.' || source[0] == '/' || source[0] == '~');
  volume.set("type", quoted(bind ? "bind" : "volume", spec.mark));
  if (!source.empty()) volume.set("source", quoted(source, spec.mark));
  volume.set("target", quoted(cleanPath(target), spec.mark));
  Node bind_options = Node::mapping(spec.mark);
  Node volume_options = Node::mapping(spec.mark);
  if (parts.size() == 3)
    applyVolumeOptions(parts[2], spec.mark, volume, bind_options, volume_options);
  if (bind) {
    bind_options.set("create_host_path", plain("true", spec.mark));
    volume.set("bind", std::move(bind_options));
  } else {
    if (!bind_options.entries.empty()) volume.set("bind", std::move(bind_options));
    volume.set("volume", std::move(volume_options));
  }
  return volume;
}

Node parseDeviceSpec(const Node& spec, const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream stream(spec.value);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.empty() || parts.size() > 3 || parts[0].empty()) {
    yaml::fail(spec, path, "invalid device \"" + spec.value + "\"",
               "expected SOURCE[:TARGET[:PERMISSIONS]], e.g. \"/dev/ttyUSB0:/dev/ttyUSB0:rwm\"");
  }
  Node device = Node::mapping(spec.mark);
  device.set("source", quoted(parts[0], spec.mark));
  device.set("target", quoted(parts.size() > 1 ? parts[1] : parts[0], spec.mark));
  device.set("permissions", quoted(parts.size() > 2 ? parts[2] : "rwm", spec.mark));
  return device;
}

}  // namespace stack::orchestrator::compose
