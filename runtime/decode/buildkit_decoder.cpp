#include "runtime/decode/buildkit_decoder.hpp"

#include <array>
#include <cstdint>

#include "core/error.hpp"

namespace stack::runtime::decode {
namespace {

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorKind::Engine, "the engine sent a malformed BuildKit status: " + what);
}

enum class WireType : uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

struct Field {
  uint32_t number = 0;
  WireType type = WireType::Varint;
  uint64_t varint = 0;     // Varint, Fixed64, Fixed32
  std::string_view bytes;  // Bytes
};

// Reads one message's fields in order; the view must outlive the reader.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}

  bool next(Field& field) {
    if (pos_ >= bytes_.size()) return false;
    const uint64_t key = varint();
    const uint64_t number = key >> 3;
    if (number == 0 || number > 0x1fffffff) malformed("field number " + std::to_string(number));
    field.number = static_cast<uint32_t>(number);
    switch (key & 7) {
      case 0:
        field.type = WireType::Varint;
        field.varint = varint();
        break;
      case 1:
        field.type = WireType::Fixed64;
        field.varint = fixed(8);
        break;
      case 2: {
        field.type = WireType::Bytes;
        const uint64_t size = varint();
        if (size > bytes_.size() - pos_) malformed("a field longer than its message");
        field.bytes = bytes_.substr(pos_, static_cast<size_t>(size));
        pos_ += static_cast<size_t>(size);
        break;
      }
      case 5:
        field.type = WireType::Fixed32;
        field.varint = fixed(4);
        break;
      default:
        malformed("wire type " + std::to_string(key & 7));
    }
    return true;
  }

 private:
  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos_ >= bytes_.size()) malformed("a truncated varint");
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    malformed("a varint longer than 10 bytes");
  }
  uint64_t fixed(size_t size) {
    if (size > bytes_.size() - pos_) malformed("a truncated fixed-size field");
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) {
      value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += size;
    return value;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

std::string text(const Field& field) {
  return std::string(field.bytes);
}
int64_t integer(const Field& field) {
  return static_cast<int64_t>(field.varint);
}

// google.protobuf.Timestamp {int64 seconds = 1; int32 nanos = 2} as nanoseconds.
int64_t timestamp(std::string_view bytes) {
  WireReader reader(bytes);
  Field field;
  int64_t seconds = 0;
  int64_t nanos = 0;
  while (reader.next(field)) {
    if (field.type != WireType::Varint) continue;
    if (field.number == 1) seconds = integer(field);
    if (field.number == 2) nanos = static_cast<int32_t>(field.varint);
  }
  // Clamped rather than overflowing: times beyond 2262 are not progress anyone waits for.
  constexpr int64_t kMaxSeconds = INT64_MAX / 1000000000 - 1;
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  if (seconds < -kMaxSeconds) seconds = -kMaxSeconds;
  return seconds * 1000000000 + nanos % 1000000000;
}

BuildkitVertex vertex(std::string_view bytes) {
  BuildkitVertex out;
  WireReader reader(bytes);
  Field f;
  while (reader.next(f)) {
    const bool is_bytes = f.type == WireType::Bytes;
    if (f.number == 1 && is_bytes) out.digest = text(f);
    if (f.number == 2 && is_bytes) out.inputs.push_back(text(f));
    if (f.number == 3 && is_bytes) out.name = text(f);
    if (f.number == 4 && f.type == WireType::Varint) out.cached = f.varint != 0;
    if (f.number == 5 && is_bytes) out.started = timestamp(f.bytes);
    if (f.number == 6 && is_bytes) out.completed = timestamp(f.bytes);
    if (f.number == 7 && is_bytes) out.error = text(f);
  }
  return out;
}

BuildkitVertexStatus vertexStatus(std::string_view bytes) {
  BuildkitVertexStatus out;
  WireReader reader(bytes);
  Field f;
  while (reader.next(f)) {
    const bool is_bytes = f.type == WireType::Bytes;
    const bool is_varint = f.type == WireType::Varint;
    if (f.number == 1 && is_bytes) out.id = text(f);
    if (f.number == 2 && is_bytes) out.vertex = text(f);
    if (f.number == 3 && is_bytes) out.name = text(f);
    if (f.number == 4 && is_varint) out.current = integer(f);
    if (f.number == 5 && is_varint) out.total = integer(f);
    if (f.number == 6 && is_bytes) out.timestamp = timestamp(f.bytes);
    if (f.number == 7 && is_bytes) out.started = timestamp(f.bytes);
    if (f.number == 8 && is_bytes) out.completed = timestamp(f.bytes);
  }
  return out;
}

BuildkitLog vertexLog(std::string_view bytes) {
  BuildkitLog out;
  WireReader reader(bytes);
  Field f;
  while (reader.next(f)) {
    const bool is_bytes = f.type == WireType::Bytes;
    if (f.number == 1 && is_bytes) out.vertex = text(f);
    if (f.number == 2 && is_bytes) out.timestamp = timestamp(f.bytes);
    if (f.number == 3 && f.type == WireType::Varint) out.stream = integer(f);
    if (f.number == 4 && is_bytes) out.data = text(f);
  }
  return out;
}

constexpr std::array<int8_t, 256> base64Table() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

void putTime(nlohmann::json& object, const char* key, int64_t value) {
  if (value != 0) object[key] = value;
}

void putText(nlohmann::json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

}  // namespace

std::string decodeBase64(std::string_view text) {
  static constexpr std::array<int8_t, 256> kTable = base64Table();
  size_t padding = 0;
  while (padding < 2 && !text.empty() && text.back() == '=') {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1) malformed("base64 text of a bad length");
  if (padding > 0 && (text.size() + padding) % 4 != 0) malformed("misplaced base64 padding");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int8_t value = kTable[static_cast<uint8_t>(c)];
    if (value < 0) malformed("a character that is not base64");
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

BuildkitStatus decodeBuildkitStatus(std::string_view bytes) {
  BuildkitStatus status;
  WireReader reader(bytes);
  Field f;
  while (reader.next(f)) {
    if (f.type != WireType::Bytes) continue;
    if (f.number == 1) status.vertexes.push_back(vertex(f.bytes));
    if (f.number == 2) status.statuses.push_back(vertexStatus(f.bytes));
    if (f.number == 3) status.logs.push_back(vertexLog(f.bytes));
  }
  return status;
}

nlohmann::json buildkitStatusJson(const BuildkitStatus& status) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& v : status.vertexes) {
    nlohmann::json item = {{"digest", v.digest}, {"name", v.name}};
    if (!v.inputs.empty()) item["inputs"] = v.inputs;
    if (v.cached) item["cached"] = true;
    putTime(item, "started", v.started);
    putTime(item, "completed", v.completed);
    putText(item, "error", v.error);
    out["vertexes"].push_back(std::move(item));
  }
  for (const auto& s : status.statuses) {
    nlohmann::json item = {{"id", s.id}, {"vertex", s.vertex}};
    putText(item, "name", s.name);
    if (s.current != 0) item["current"] = s.current;
    if (s.total != 0) item["total"] = s.total;
    putTime(item, "started", s.started);
    putTime(item, "completed", s.completed);
    out["statuses"].push_back(std::move(item));
  }
  for (const auto& l : status.logs) {
    out["logs"].push_back({{"vertex", l.vertex}, {"stream", l.stream}, {"data", l.data}});
  }
  return out;
}

}  // namespace stack::runtime::decode
