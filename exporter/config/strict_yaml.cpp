#include "exporter/config/strict_yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>
#include <string_view>
#include <vector>

namespace gx {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// yaml-cpp marks a quoted scalar at its opening quote (or at its tag or anchor); its positions
// are byte offsets after the UTF-8 byte-order mark. Returns the quote's offset, or npos.
size_t OpeningQuote(std::string_view text, int pos) {
  auto blank = [&](size_t i) { return text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'; };
  size_t i = pos < 0 ? text.size() : static_cast<size_t>(pos);
  while (i < text.size() && (text[i] == '!' || text[i] == '&')) {  // "!!str" or "&anchor" first
    while (i < text.size() && !blank(i)) ++i;
    while (i < text.size() && blank(i)) ++i;
  }
  return i < text.size() && (text[i] == '"' || text[i] == '\'') ? i : std::string_view::npos;
}

// yaml-cpp's messages for a tab in indentation ("illegal map value") do not say so.
bool TabIndented(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 0; i < line && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (line < 0 || start == std::string_view::npos) return false;
  const size_t indent_end = text.find_first_not_of(" \t", start);
  return text.substr(start, indent_end - start).find('\t') != std::string_view::npos;
}

// Whether the quoted scalar opening at `open` has its closing quote before the end of the text.
bool IsTerminated(std::string_view text, size_t open) {
  const char quote = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escaped character, possibly \"
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted string
      } else {
        return true;
      }
    }
  }
  return false;
}

// Follows the parser's events with a stack of open collections, so that every node knows its
// key path ("alerting.receivers[0].url", as the loader names keys) and every mapping its keys.
class Checker final : public YAML::EventHandler {
 public:
  Checker(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  ConfigErrors errors;
  YAML::Mark document_start = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark& mark) override { document_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark, nullptr); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark, nullptr); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    const bool is_key = !stack_.empty() && stack_.back().is_map && stack_.back().want_key;
    const std::string parent = stack_.empty() ? "" : stack_.back().path;
    const std::string path = Node(mark, &value);
    if (tag == "?") return;  // a plain scalar has no quotes
    const size_t open = OpeningQuote(text_, mark.pos);
    if (open == std::string_view::npos) return;
    if (!IsTerminated(text_, open)) {
      const char quote = text_[open];
      // An unterminated key has swallowed the rest of the file: never print it.
      Error(mark, is_key ? parent : path,
            std::string("unterminated ") + (quote == '"' ? "double" : "single") + "-quoted " +
                (is_key ? "key" : "string") + " (the closing " + quote + " is missing)");
    }
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Open(false, mark);
  }
  void OnSequenceEnd() override { stack_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Open(true, mark);
  }
  void OnMapEnd() override { stack_.pop_back(); }

  void Error(const YAML::Mark& mark, const std::string& path, const std::string& message) {
    errors.Add(source_ + ":" + std::to_string(mark.line + 1), path.empty() ? "(top level)" : path, message);
  }
  // The key path of the innermost open collection: where a syntax error was found. Cut short,
  // as a hostile file nests 100,000 deep.
  std::string Path() const {
    constexpr size_t kMaxPath = 200;
    if (stack_.empty() || stack_.back().path.empty()) return "(top level)";
    const std::string& path = stack_.back().path;
    return path.size() <= kMaxPath ? path : path.substr(0, kMaxPath) + "...";
  }

 private:
  struct Frame {
    bool is_map = false;
    std::string path;
    bool want_key = true;
    std::string key;                 // the current entry's key
    size_t index = 0;                // the next sequence item
    std::map<std::string, int> keys;  // key -> line (1-based) where it first appeared
  };

  void Open(bool is_map, const YAML::Mark& mark) {
    Frame frame;
    frame.is_map = is_map;
    frame.path = Node(mark, nullptr);
    stack_.push_back(std::move(frame));
  }

  // Places a node that starts at `mark` (`scalar` is its value, if it is a scalar) in its
  // parent and returns its key path.
  std::string Node(const YAML::Mark& mark, const std::string* scalar) {
    if (stack_.empty()) return "";
    Frame& parent = stack_.back();
    const std::string prefix = parent.path.empty() ? "" : parent.path + ".";
    if (!parent.is_map) return parent.path + "[" + std::to_string(parent.index++) + "]";
    if (!parent.want_key) {
      parent.want_key = true;
      return prefix + parent.key;
    }
    parent.want_key = false;
    parent.key = scalar ? *scalar : "?";  // a non-scalar key is the loader's error to report
    const std::string path = prefix + parent.key;
    if (scalar) {
      auto [it, first] = parent.keys.emplace(*scalar, mark.line + 1);
      if (!first) Error(mark, path, "duplicate key (first on line " + std::to_string(it->second) + ")");
    }
    return path;
  }

  std::string_view text_;
  std::string source_;
  std::vector<Frame> stack_;
};

}  // namespace

bool CheckStrictYaml(const std::string& text, const std::string& source_name, ConfigErrors& errors) {
  std::string_view body(text);
  if (body.substr(0, kUtf8Bom.size()) == kUtf8Bom) body.remove_prefix(kUtf8Bom.size());
  std::istringstream in(text);
  Checker checker(body, source_name);
  try {
    YAML::Parser parser(in);
    Checker next(body, source_name);
    if (parser.HandleNextDocument(checker) && parser.HandleNextDocument(next)) {
      checker.Error(next.document_start, "", "a second YAML document (---) is not supported; use one per file");
    }
  } catch (const YAML::ParserException& e) {
    // A syntax error alone: what was found before it may be a consequence of it.
    const std::string why = TabIndented(body, e.mark.line) ? "tab in indentation (indent with spaces)" : e.msg;
    errors.Add(source_name + ":" + std::to_string(e.mark.line + 1), checker.Path(), "invalid YAML: " + why);
    return false;
  }
  const auto& found = checker.errors.messages;
  errors.messages.insert(errors.messages.end(), found.begin(), found.end());
  return found.empty();
}

}  // namespace gx
