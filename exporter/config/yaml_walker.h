// Strict reading of one YAML document into plain structs, shared by every file the exporter
// reads (--config.file, --web.config.file): each key has a handler, an unknown key or a wrong
// type is an error, and every error reads "file:line: key: message". Not thread-safe: one
// walker per document.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/config_loader.h"
#include "exporter/util/clock.h"

namespace gx {

// The most a *_file secret may hold: a secret, not a file read by mistake.
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// Checks `text` with CheckStrictYaml and parses it into `root`. False (with errors added)
// when it is not one well-formed document.
bool LoadStrictYaml(const std::string& text, const std::string& source_name, YAML::Node& root,
                    ConfigErrors& errors);

// A relative `path` joined to `dir`; an empty or absolute one as it is (as Prometheus's
// config.JoinDir does for files named in a configuration file).
std::string JoinDir(const std::string& dir, const std::string& path);

class YamlWalker {
 public:
  YamlWalker(std::string source, ConfigErrors& errors) : source_(std::move(source)), errors_(errors) {}

  // Adds "source:line: key: message", the line being the node's.
  void Error(const YAML::Node& node, const std::string& key, const std::string& message);

  using Handler = std::function<void(const YAML::Node&, const std::string& key)>;

  // Calls the handler of each key; unknown keys are errors.
  void Map(const YAML::Node& node, const std::string& path, const std::map<std::string, Handler>& handlers);

  Handler String(std::string& out);
  // Reads a secret from a file; the path may be shown, the content never.
  Handler SecretFile(std::string& out);
  // A file name, relative to `dir` unless absolute (JoinDir).
  Handler Path(std::string& out, const std::string& dir);
  Handler Bool(bool& out);
  Handler Number(double& out, double min, double max);
  // Every duration has a minimum and a maximum (docs/configuration.md lists them): a value
  // outside them is nonsense (a zero interval is a hot loop) or overflows later arithmetic.
  Handler Duration(Seconds& out, UnixNanos min, UnixNanos max);
  Handler StringList(std::vector<std::string>& out);

  template <typename Int>
  Handler Integer(Int& out, long long min, long long max) {
    return [this, &out, min, max](const YAML::Node& n, const std::string& key) {
      long long x = 0;
      if (ReadInteger(n, key, min, max, x)) out = static_cast<Int>(x);
    };
  }

  template <typename T>
  Handler List(std::vector<T>& out, std::function<void(const YAML::Node&, const std::string&, T&)> item) {
    return [this, &out, item](const YAML::Node& n, const std::string& key) {
      if (!n.IsSequence()) return Error(n, key, "must be a list");
      out.clear();
      for (size_t i = 0; i < n.size(); ++i) {
        T value;
        item(n[i], key + "[" + std::to_string(i) + "]", value);
        out.push_back(std::move(value));
      }
    };
  }

  // The value of `key` in `map` when it is there (for its line), else the map.
  static YAML::Node At(const YAML::Node& map, const char* key);

  // Two keys that set the same value (url and urls, client_id and client_id_file): one wins
  // silently otherwise.
  void OneOf(const YAML::Node& map, const std::string& path, const char* a, const char* b);

  // How many errors the document has so far.
  size_t error_count() const { return errors_.messages.size(); }

  // "source:line" of `node` (just "source" when it has no position).
  std::string Where(const YAML::Node& node) const;

 private:
  bool ReadInteger(const YAML::Node& n, const std::string& key, long long min, long long max, long long& out);

  std::string source_;
  ConfigErrors& errors_;
};

}  // namespace gx
