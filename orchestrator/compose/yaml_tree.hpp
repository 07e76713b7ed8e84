#pragma once

// A YAML document as the loader sees it: a small tree of nulls, scalars, sequences and
// mappings in which every node remembers where it came from (file, line, column). The
// whole pipeline (interpolation, canonical form, extends, merge, model building) works on
// this tree, so an error found after merging several files still points at the line that
// caused it.
//
// Parsing goes through yaml-cpp's event API, not YAML::Node: we expand aliases ourselves
// under a budget (so "billion laughs" documents are an error, not an out-of-memory), bound
// the nesting depth, reject duplicate keys (as compose's YAML decoder does) and apply
// `<<` merge keys, which compose files use heavily and yaml-cpp does not implement.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace stack::orchestrator::compose::yaml {

struct Mark {
  std::shared_ptr<const std::string> file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown

  SourceLocation location(std::string key_path) const;
};

// The type a plain scalar resolves to under YAML 1.2's core schema (compose's decoder).
enum class ScalarType { Null, Bool, Int, Float, String };

// `!reset` and `!override` from the merge specification.
enum class Tag : uint8_t { None, Reset, Override };

struct Entry;

struct Node {
  enum class Kind : uint8_t { Null, Scalar, Sequence, Mapping };

  Kind kind = Kind::Null;
  Tag tag = Tag::None;
  bool quoted = false;         // quoted, block or `!!str`: always a string
  bool interpolated = false;   // interpolation changed this value (typed casts allowed)
  std::string value;           // the scalar's text
  std::vector<Node> items;     // a sequence's items
  std::vector<Entry> entries;  // a mapping's entries, in document order
  Mark mark;

  bool isNull() const { return kind == Kind::Null; }
  bool isScalar() const { return kind == Kind::Scalar; }
  bool isSequence() const { return kind == Kind::Sequence; }
  bool isMapping() const { return kind == Kind::Mapping; }

  // Mapping lookup; nullptr when absent or when this is not a mapping.
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  // Removes a key from a mapping; returns whether it was there.
  bool erase(std::string_view key);
  // Sets (replacing) a key of a mapping; the node becomes a mapping if it was null.
  Node& set(std::string key, Node value);

  // What a plain scalar means (quoted ones are always String; nulls are Null).
  ScalarType scalarType() const;
  // "a mapping", "a sequence", "a string", "a number", "a boolean", "null".
  std::string describe() const;

  static Node scalar(std::string text, Mark mark, bool quoted = true);
  static Node mapping(Mark mark);
  static Node sequence(Mark mark);
};

struct Entry {
  std::string key;
  Mark key_mark;
  Node value;
};

struct ParseLimits {
  size_t max_depth = 64;         // nesting of sequences and mappings
  size_t max_nodes = 4'000'000;  // nodes after alias expansion, per document stream
  size_t max_bytes = 64u << 20;  // input size
};

// What `text` would resolve to if written as a plain (unquoted) YAML scalar.
ScalarType plainScalarType(std::string_view text);

// Offset of the first byte of `text` that is not valid UTF-8, or npos. Compose files are
// UTF-8 (compose's YAML decoder rejects anything else), and JSON output needs it.
size_t invalidUtf8Offset(std::string_view text);

// Parses every document of `text`. Empty documents are returned as Null nodes. Throws
// stack::Error (Config) with the file, line and column of the syntax error.
std::vector<Node> parseDocuments(std::string_view text, std::shared_ptr<const std::string> file,
                                 const ParseLimits& limits = {});

// "services.web" + "ports" -> "services.web.ports"; keys with dots are kept as written.
std::string childPath(const std::string& path, std::string_view key);
// "services.web.ports" + 0 -> "services.web.ports[0]"
std::string indexPath(const std::string& path, size_t index);

// The mark of the deepest node along `path` ("services.web.ports[0]") under `root`: the
// key's position for mapping entries, the item's for sequence items. Used to locate
// errors found after the model is built. Keys containing dots are matched greedily.
Mark locate(const Node& root, std::string_view path);

// Throws a Config error located at `node` with `path`.
[[noreturn]] void fail(const Node& node, const std::string& path, std::string message,
                       std::string hint = {});
[[noreturn]] void failAt(const Mark& mark, const std::string& path, std::string message,
                         std::string hint = {});

}  // namespace stack::orchestrator::compose::yaml
