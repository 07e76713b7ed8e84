#pragma once

// Lenient field access for engine JSON. The engine's types are stable, but newer engines
// and podman add or widen fields; a field of an unexpected type reads as absent rather
// than failing the whole stream. Internal to the decoders.

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace stack::runtime::decode::detail {

// The member `key` of `object`, or nullptr when `object` is not an object or lacks it.
inline const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

inline std::string stringField(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

// Numbers as int64: floats are truncated, and values out of range are clamped.
inline int64_t integerField(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = member(object, key);
  if (!value) return 0;
  if (value->is_number_integer() && !value->is_number_unsigned()) return value->get<int64_t>();
  if (value->is_number_unsigned()) {
    uint64_t u = value->get<uint64_t>();
    return u > uint64_t(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max()
                                                             : int64_t(u);
  }
  if (value->is_number_float()) {
    double d = value->get<double>();
    if (std::isnan(d)) return 0;
    if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
    if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(d);
  }
  return 0;
}

}  // namespace stack::runtime::decode::detail
