#include "orchestrator/timings/up_record.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace stack::orchestrator::timings {
namespace {

using nlohmann::json;

void putMs(json& out, const char* key, const std::optional<int64_t>& value) {
  if (value) out[key] = *value;
}

std::optional<int64_t> getMs(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return std::nullopt;
  return it->get<int64_t>();
}

}  // namespace

json toJson(const UpRecord& record) {
  json services = json::object();
  for (const auto& [name, s] : record.services) {
    json entry = json::object();
    if (!s.image.empty()) entry["image"] = s.image;
    putMs(entry, "image_ready_ms", s.image_ready_ms);
    putMs(entry, "created_ms", s.created_ms);
    putMs(entry, "starting_ms", s.starting_ms);
    putMs(entry, "started_ms", s.started_ms);
    putMs(entry, "ready_ms", s.ready_ms);
    if (!s.ready_condition.empty()) entry["ready_condition"] = s.ready_condition;
    if (!s.ready_by.empty()) entry["ready_by"] = s.ready_by;
    services[name] = std::move(entry);
  }
  json gates = json::array();
  for (const auto& gate : record.gates) {
    gates.push_back({{"service", gate.service},
                     {"condition", gate.condition},
                     {"waiting_ms", gate.waiting_ms},
                     {"ready_ms", gate.ready_ms},
                     {"by", gate.by},
                     {"dependents", gate.dependents}});
  }
  json out = {{"version", 1},
              {"project", record.project},
              {"started_at_unix_ms", record.started_at_unix_ms},
              {"wall_ms", record.wall_ms},
              {"succeeded", record.succeeded},
              {"services", std::move(services)},
              {"gates", std::move(gates)}};
  putMs(out, "planned_ms", record.planned_ms);
  if (!record.error.empty()) out["error"] = record.error;
  return out;
}

UpRecord recordFromJson(const json& in, const std::string& origin) {
  try {
    UpRecord record;
    record.project = in.at("project").get<std::string>();
    record.started_at_unix_ms = in.value("started_at_unix_ms", int64_t{0});
    record.planned_ms = getMs(in, "planned_ms");
    record.wall_ms = in.at("wall_ms").get<int64_t>();
    record.succeeded = in.value("succeeded", false);
    record.error = in.value("error", std::string());
    for (const auto& [name, entry] : in.at("services").items()) {
      ServiceRecord s;
      s.image = entry.value("image", std::string());
      s.image_ready_ms = getMs(entry, "image_ready_ms");
      s.created_ms = getMs(entry, "created_ms");
      s.starting_ms = getMs(entry, "starting_ms");
      s.started_ms = getMs(entry, "started_ms");
      s.ready_ms = getMs(entry, "ready_ms");
      s.ready_condition = entry.value("ready_condition", std::string());
      s.ready_by = entry.value("ready_by", std::string());
      record.services[name] = std::move(s);
    }
    for (const auto& entry : in.at("gates")) {
      GateRecord gate;
      gate.service = entry.at("service").get<std::string>();
      gate.condition = entry.at("condition").get<std::string>();
      gate.waiting_ms = entry.value("waiting_ms", int64_t{0});
      gate.ready_ms = entry.at("ready_ms").get<int64_t>();
      gate.by = entry.value("by", std::string());
      gate.dependents = entry.value("dependents", std::vector<std::string>{});
      record.gates.push_back(std::move(gate));
    }
    return record;
  } catch (const json::exception& error) {
    throw Error(ErrorKind::Config, origin + ": not a record of an up: " + error.what(),
                "remove the file; the next `stack up` writes a new one");
  }
}

std::filesystem::path defaultStateDir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return std::filesystem::path(state) / "stack";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".local" / "state" / "stack";
  }
  return {};
}

std::filesystem::path lastUpPath(const std::filesystem::path& state_dir,
                                 const std::string& project) {
  return state_dir / project / "last-up.json";
}

void saveRecord(const std::filesystem::path& path, const UpRecord& record) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw Error(ErrorKind::Io,
                "cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  const std::filesystem::path temporary =
      path.string() + ".tmp" + std::to_string(static_cast<long>(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << toJson(record).dump(2) << "\n";
    if (!out.flush()) {
      throw Error(ErrorKind::Io,
                  "cannot write " + temporary.string() + ": " + std::strerror(errno));
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw Error(ErrorKind::Io, "cannot write " + path.string() + ": " + ec.message());
  }
}

std::optional<UpRecord> loadRecord(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(ErrorKind::Io, "cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  json parsed = json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw Error(ErrorKind::Config, path.string() + ": not a record of an up (malformed JSON)",
                "remove the file; the next `stack up` writes a new one");
  }
  return recordFromJson(parsed, path.string());
}

}  // namespace stack::orchestrator::timings
