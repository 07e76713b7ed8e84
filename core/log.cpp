#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace stack::log {
namespace {

struct Registry {
  std::mutex mutex;
  spdlog::level::level_enum level = spdlog::level::warn;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  bool initialised = false;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

void initialiseLocked(Registry& reg) {
  if (reg.initialised) return;
  reg.initialised = true;
  if (const char* env = std::getenv("STACK_LOG_LEVEL")) {
    auto level = spdlog::level::from_str(env);
    if (level != spdlog::level::off || std::string_view(env) == "off") reg.level = level;
  }
}

}  // namespace

std::shared_ptr<spdlog::logger> get(std::string_view name) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  initialiseLocked(reg);
  std::string key(name);
  if (auto existing = spdlog::get(key)) return existing;
  auto logger = std::make_shared<spdlog::logger>(key, reg.sink);
  logger->set_level(reg.level);
  logger->set_pattern("%^%l%$ [%n] %v");
  spdlog::register_logger(logger);
  return logger;
}

bool setLevel(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") return false;
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  initialiseLocked(reg);
  reg.level = parsed;
  spdlog::apply_all([parsed](const std::shared_ptr<spdlog::logger>& l) { l->set_level(parsed); });
  return true;
}

}  // namespace stack::log
