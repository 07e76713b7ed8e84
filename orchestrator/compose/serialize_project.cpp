// Project-level JSON and the YAML rendering of `stack config`.
#include "orchestrator/compose/serialize.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {
namespace {

void put(Json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}
template <typename Map>
void putAll(Json& out, const char* key, const Map& value) {
  if (!value.empty()) out[key] = value;
}

Json networkToJson(const NetworkConfig& n) {
  Json out = Json::object();
  put(out, "name", n.name);
  put(out, "driver", n.driver);
  putAll(out, "driver_opts", n.driver_opts);
  Json ipam = Json::object();  // a struct in compose-go: always printed
  put(ipam, "driver", n.ipam_driver);
  if (!n.ipam_config.empty()) {
    Json pools = Json::array();
    for (const auto& p : n.ipam_config) {
      Json pool = Json::object();
      put(pool, "subnet", p.subnet);
      put(pool, "gateway", p.gateway);
      put(pool, "ip_range", p.ip_range);
      putAll(pool, "aux_addresses", p.aux_addresses);
      pools.push_back(std::move(pool));
    }
    ipam["config"] = std::move(pools);
  }
  putAll(ipam, "options", n.ipam_options);
  out["ipam"] = std::move(ipam);
  if (n.external) out["external"] = true;
  if (n.internal) out["internal"] = true;
  if (n.attachable.value_or(false)) out["attachable"] = true;
  putAll(out, "labels", n.labels);
  if (n.enable_ipv4) out["enable_ipv4"] = *n.enable_ipv4;
  if (n.enable_ipv6) out["enable_ipv6"] = *n.enable_ipv6;
  return out;
}

Json volumeToJson(const VolumeConfig& v) {
  Json out = Json::object();
  put(out, "name", v.name);
  put(out, "driver", v.driver);
  putAll(out, "driver_opts", v.driver_opts);
  if (v.external) out["external"] = true;
  putAll(out, "labels", v.labels);
  return out;
}

Json fileObjectToJson(const FileObjectConfig& o, bool secret) {
  Json out = Json::object();
  put(out, "name", o.name);
  put(out, "file", o.file);
  put(out, "environment", o.environment);
  // compose never prints secret content, nor config content taken from the environment
  if (o.content && !secret && o.environment.empty()) put(out, "content", *o.content);
  if (o.external) out["external"] = true;
  putAll(out, "labels", o.labels);
  put(out, "driver", o.driver);
  putAll(out, "driver_opts", o.driver_opts);
  put(out, "template_driver", o.template_driver);
  return out;
}

template <typename Map, typename Fn>
void putSection(Json& out, const char* key, const Map& map, Fn convert) {
  if (map.empty()) return;
  Json section = Json::object();
  for (const auto& [name, value] : map) section[name] = convert(value);
  out[key] = std::move(section);
}

// Block YAML, written directly: yaml-cpp's emitter took longer than loading the project.
// A string is written plain when YAML would read it back as the same string, and
// otherwise double-quoted with JSON escapes, which YAML's double-quoted style accepts.
bool plainSafe(const std::string& text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) {
    bool dash_word =
        text.size() > 1 && (text[0] == '-' || text[0] == '?' || text[0] == ':') && text[1] != ' ';
    if (!dash_word) return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (text[i] == ':' && (i + 1 == text.size() || text[i + 1] == ' ')) return false;
    if (text[i] == '#' && i > 0 && text[i - 1] == ' ') return false;
  }
  // YAML 1.1 readers (PyYAML, docker-compose v1) take these for booleans
  static const char* kOldBooleans[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                       "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (const char* word : kOldBooleans) {
    if (text == word) return false;
  }
  return yaml::plainScalarType(text) == yaml::ScalarType::String;
}

void writeString(std::string& out, const std::string& text) {
  if (plainSafe(text)) {
    out += text;
  } else {
    out += Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

void writeScalar(std::string& out, const Json& value) {
  if (value.is_string()) {
    writeString(out, value.get_ref<const std::string&>());
  } else if (value.is_null()) {
    out += "null";
  } else {
    out += value.dump();
  }
}

bool isEmptyCollection(const Json& value) {
  return (value.is_object() || value.is_array()) && value.empty();
}

void writeBlock(std::string& out, const Json& value, size_t indent);

// `prefix` is what precedes the value on its line ("key:" or "-").
void writeValue(std::string& out, const Json& value, size_t indent) {
  if (isEmptyCollection(value)) {
    out += value.is_object() ? " {}\n" : " []\n";
  } else if (value.is_object() || value.is_array()) {
    out += "\n";
    writeBlock(out, value, indent);
  } else {
    out += ' ';
    writeScalar(out, value);
    out += '\n';
  }
}

void writeBlock(std::string& out, const Json& value, size_t indent) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out.append(indent, ' ');
      writeString(out, key);
      out += ':';
      writeValue(out, item, indent + 2);
    }
    return;
  }
  for (const auto& item : value) {
    out.append(indent, ' ');
    out += '-';
    if (item.is_object() && !item.empty()) {
      // "- key: value" with the other keys aligned under the first
      std::string nested;
      writeBlock(nested, item, indent + 2);
      out += ' ';
      out.append(nested, indent + 2, std::string::npos);
    } else {
      writeValue(out, item, indent + 2);
    }
  }
}

}  // namespace

Json projectToJson(const Project& project) {
  Json out = Json::object();
  out["name"] = project.name;
  Json services = Json::object();
  for (const auto& [name, service] : project.services) services[name] = serviceToJson(service);
  out["services"] = std::move(services);
  putSection(out, "networks", project.networks, networkToJson);
  putSection(out, "volumes", project.volumes, volumeToJson);
  putSection(out, "secrets", project.secrets,
             [](const auto& o) { return fileObjectToJson(o, true); });
  putSection(out, "configs", project.configs,
             [](const auto& o) { return fileObjectToJson(o, false); });
  if (project.extensions.is_object()) {
    for (const auto& [key, value] : project.extensions.items()) out[key] = value;
  }
  return out;
}

std::string jsonToYaml(const Json& value) {
  std::string out;
  if (value.is_object() || value.is_array()) {
    if (value.empty()) return value.is_object() ? "{}\n" : "[]\n";
    writeBlock(out, value, 0);
  } else {
    writeScalar(out, value);
    out += '\n';
  }
  return out;
}

std::string projectToYaml(const Project& project) {
  Json json = projectToJson(project);
  for (const auto& [name, service] : project.services) {
    Json& entry = json["services"][name];
    if (entry["command"].is_null()) entry.erase("command");
    if (entry["entrypoint"].is_null()) entry.erase("entrypoint");
    if (service.extensions.is_object()) {
      for (const auto& [key, value] : service.extensions.items()) entry[key] = value;
    }
  }
  std::string text;
  auto section = [&](const std::string& key, const Json& value) {
    writeString(text, key);
    text += ':';
    writeValue(text, value, 2);
  };
  for (const char* key : {"name", "services", "networks", "volumes", "configs", "secrets"}) {
    auto it = json.find(key);
    if (it != json.end()) section(key, *it);
  }
  for (const auto& [key, value] : json.items()) {
    if (key.rfind("x-", 0) == 0) section(key, value);
  }
  return text;
}

}  // namespace stack::orchestrator::compose
