// Parsing: yaml-cpp events to Node trees, with the limits that keep hostile input cheap.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose::yaml {
namespace {

bool isNullText(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

size_t countNodes(const Node& node) {
  size_t count = 1;
  for (const auto& item : node.items) count += countNodes(item);
  for (const auto& entry : node.entries) count += countNodes(entry.value);
  return count;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const std::string> file, const ParseLimits& limits)
      : file_(std::move(file)), limits_(limits) {}

  std::vector<Node> documents;

  void OnDocumentStart(const YAML::Mark&) override {
    root_.reset();
    anchors_.clear();
  }
  void OnDocumentEnd() override {
    documents.push_back(root_ ? std::move(*root_) : Node{});
    root_.reset();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.mark = toMark(mark);
    finish(std::move(node), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::Sequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::Mapping, mark, tag, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    bool has_key = false;
    bool key_is_merge = false;
    Entry pending;
    std::vector<Node> merges;  // values of `<<` keys, applied when the mapping closes
    // key -> entry, built only for large mappings (most have a handful of keys)
    std::unordered_map<std::string, size_t> index;

    const Entry* lookup(const std::string& key) const {
      if (index.empty()) {
        for (const auto& entry : node.entries) {
          if (entry.key == key) return &entry;
        }
        return nullptr;
      }
      auto it = index.find(key);
      return it == index.end() ? nullptr : &node.entries[it->second];
    }
    void add(Entry entry) {
      node.entries.push_back(std::move(entry));
      if (!index.empty()) {
        index.emplace(node.entries.back().key, node.entries.size() - 1);
      } else if (node.entries.size() > 16) {
        for (size_t i = 0; i < node.entries.size(); ++i) index.emplace(node.entries[i].key, i);
      }
    }
  };

  Mark toMark(const YAML::Mark& mark) const { return Mark{file_, mark.line + 1, mark.column + 1}; }
  static Tag tagOf(const std::string& tag) {
    if (tag == "!reset") return Tag::Reset;
    if (tag == "!override") return Tag::Override;
    return Tag::None;
  }
  void count(size_t nodes, const Mark& mark) {
    nodes_ += nodes;
    // Aliases may multiply a document, but not without bound: a budget that grows with the
    // input keeps "billion laughs" cheap to reject while large real files pass.
    size_t budget = std::min(limits_.max_nodes, 100'000 + 10 * input_size_);
    if (nodes_ > budget) {
      failAt(mark, "",
             "document is too large: more than " + std::to_string(budget) +
                 " nodes after expanding aliases",
             "check for aliases that expand recursively (\"billion laughs\")");
    }
  }
  void open(Node::Kind kind, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor);
  void close();
  void finish(Node node, YAML::anchor_t anchor, bool from_alias = false);
  void addToMapping(Frame& frame, Node node);
  static void applyMerges(Frame& frame);

  std::shared_ptr<const std::string> file_;
  ParseLimits limits_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::map<YAML::anchor_t, std::pair<Node, size_t>> anchors_;
  size_t nodes_ = 0;
  size_t direct_nodes_ = 0;

 public:
  size_t input_size_ = 0;
};

void TreeBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  auto it = anchors_.find(anchor);
  if (it == anchors_.end()) {
    failAt(toMark(mark), "", "alias refers to an anchor that is still being defined",
           "an anchor cannot contain an alias to itself");
  }
  count(it->second.second, toMark(mark));
  finish(it->second.first, 0, true);
}

void TreeBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                           const std::string& value) {
  Node node;
  node.mark = toMark(mark);
  node.tag = tagOf(tag);
  if (invalidUtf8Offset(value) != std::string::npos) {
    fail(node, "", "invalid UTF-8 in a string (check its escape sequences)");
  }
  bool plain = tag != "!" && tag != "tag:yaml.org,2002:str";
  if (plain && isNullText(value)) {
    finish(std::move(node), anchor);
    return;
  }
  node.kind = Node::Kind::Scalar;
  node.quoted = !plain;
  node.value = value;
  finish(std::move(node), anchor);
}

void TreeBuilder::open(Node::Kind kind, const YAML::Mark& mark, const std::string& tag,
                       YAML::anchor_t anchor) {
  if (stack_.size() >= limits_.max_depth) {
    failAt(toMark(mark), "",
           "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  Frame frame;
  frame.node.kind = kind;
  frame.node.mark = toMark(mark);
  frame.node.tag = tagOf(tag);
  frame.anchor = anchor;
  stack_.push_back(std::move(frame));
}

void TreeBuilder::close() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (frame.node.isMapping()) applyMerges(frame);
  finish(std::move(frame.node), frame.anchor);
}

void TreeBuilder::finish(Node node, YAML::anchor_t anchor, bool from_alias) {
  count(1, node.mark);
  // Every node the parser reports, aliases aside, needs at least one byte of input.
  // yaml-cpp can loop forever emitting nulls on some malformed input; stop it here.
  if (!from_alias && ++direct_nodes_ > input_size_ + 16) {
    fail(node, "", "invalid YAML: the parser stopped making progress here",
         "check the brackets and indentation around this line");
  }
  if (anchor != 0) anchors_[anchor] = {node, countNodes(node)};
  if (stack_.empty()) {
    root_ = std::move(node);
    return;
  }
  Frame& frame = stack_.back();
  if (frame.node.isSequence()) {
    frame.node.items.push_back(std::move(node));
  } else {
    addToMapping(frame, std::move(node));
  }
}

void TreeBuilder::addToMapping(Frame& frame, Node node) {
  if (!frame.has_key) {
    if (!node.isScalar() && !node.isNull()) {
      fail(node, "", "mapping keys must be strings, not " + node.describe());
    }
    frame.pending = Entry{node.value, node.mark, {}};
    frame.key_is_merge = node.isScalar() && !node.quoted && node.value == "<<";
    frame.has_key = true;
    return;
  }
  frame.has_key = false;
  if (frame.key_is_merge) {
    frame.merges.push_back(std::move(node));
    return;
  }
  Entry entry = std::move(frame.pending);
  entry.value = std::move(node);
  if (const Entry* first = frame.lookup(entry.key)) {
    failAt(entry.key_mark, "",
           "duplicate key \"" + entry.key + "\" (first defined at line " +
               std::to_string(first->key_mark.line) + ")",
           "remove one of the two definitions");
  }
  frame.add(std::move(entry));
}

// `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping does not set
// itself are added; among several sources the first one wins.
void TreeBuilder::applyMerges(Frame& frame) {
  for (auto& merge : frame.merges) {
    std::vector<Node*> sources;
    if (merge.isMapping()) {
      sources.push_back(&merge);
    } else if (merge.isSequence()) {
      for (auto& item : merge.items) sources.push_back(&item);
    }
    if (sources.empty()) fail(merge, "", "the value of a `<<` merge key must be a mapping");
    for (Node* source : sources) {
      if (!source->isMapping()) {
        fail(*source, "",
             "the value of a `<<` merge key must be a mapping, not " + source->describe());
      }
      for (auto& entry : source->entries) {
        if (frame.lookup(entry.key)) continue;
        frame.add(std::move(entry));
      }
    }
  }
}

}  // namespace

size_t invalidUtf8Offset(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80           ? 1
                    : (byte >> 5) == 0x6  ? 2
                    : (byte >> 4) == 0xE  ? 3
                    : (byte >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return i;
    uint32_t code = length == 1 ? byte : byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3F);
    }
    bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                    (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::vector<Node> parseDocuments(std::string_view text, std::shared_ptr<const std::string> file,
                                 const ParseLimits& limits) {
  Mark start{file, 0, 0};
  if (text.size() > limits.max_bytes) {
    failAt(start, "", "file is larger than " + std::to_string(limits.max_bytes >> 20) + " MiB");
  }
  // YAML forbids control characters, and yaml-cpp can loop forever on a NUL byte.
  size_t control =
      std::find_if(text.begin(), text.end(),
                   [](char c) {
                     auto byte = static_cast<unsigned char>(c);
                     return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7F;
                   }) -
      text.begin();
  size_t utf8 = invalidUtf8Offset(text);
  if (size_t bad = std::min(control, utf8); bad < text.size()) {
    std::string_view before = text.substr(0, bad);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    size_t line_start = before.rfind('\n');
    int column =
        static_cast<int>(bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    if (bad == control) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned char>(text[bad]));
      failAt(Mark{file, line, column}, "",
             std::string("control character ") + code + " is not allowed in YAML");
    }
    failAt(Mark{file, line, column}, "", "invalid UTF-8 in the file", "save the file as UTF-8");
  }
  std::istringstream stream{std::string(text)};
  TreeBuilder builder(file, limits);
  builder.input_size_ = text.size();
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp marks are 0-based; ours are 1-based.
    Mark mark{file, e.mark.is_null() ? 0 : e.mark.line + 1,
              e.mark.is_null() ? 0 : e.mark.column + 1};
    failAt(mark, "", "invalid YAML: " + e.msg);
  }
  return std::move(builder.documents);
}

}  // namespace stack::orchestrator::compose::yaml
