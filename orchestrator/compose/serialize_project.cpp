// Project-level JSON and the YAML rendering of `stack config`.
#include <yaml-cpp/emitter.h>

#include "orchestrator/compose/serialize.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::compose {
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

void emit(YAML::Emitter& out, const Json& value);

void emitString(YAML::Emitter& out, const std::string& text) {
  bool ambiguous = yaml::plainScalarType(text) != yaml::ScalarType::String;
  if (ambiguous || text.find('\n') != std::string::npos) {
    out << YAML::DoubleQuoted << text;
  } else {
    out << text;
  }
}

void emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        emitString(out, key);
        out << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : value) emit(out, item);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string:
      emitString(out, value.get<std::string>());
      return;
    case Json::value_t::null:
      out << YAML::Null;
      return;
    default:
      out << value.dump();
      return;
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
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetNullFormat(YAML::LowerNull);
  emit(out, value);
  return std::string(out.c_str()) + "\n";
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
  for (const char* key : {"name", "services", "networks", "volumes", "configs", "secrets"}) {
    if (json.contains(key)) text += jsonToYaml(Json{{key, json[key]}});
    json.erase(key);
  }
  if (!json.empty()) text += jsonToYaml(json);
  return text;
}

}  // namespace stack::compose
