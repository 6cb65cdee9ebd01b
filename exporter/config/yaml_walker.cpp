#include "exporter/config/yaml_walker.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "exporter/config/duration.h"
#include "exporter/config/strict_yaml.h"
#include "exporter/util/read_file.h"

namespace gx {

bool LoadStrictYaml(const std::string& text, const std::string& source_name, YAML::Node& root,
                    ConfigErrors& errors) {
  if (!CheckStrictYaml(text, source_name, errors)) return false;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    errors.Add(source_name + ":" + std::to_string(e.mark.line + 1), "(top level)", "invalid YAML: " + e.msg);
    return false;
  }
  return true;
}

std::string JoinDir(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || dir.empty()) return path;
  return dir.back() == '/' ? dir + path : dir + "/" + path;
}

std::string YamlWalker::Where(const YAML::Node& node) const {
  std::string where = source_;
  if (node.IsDefined() && node.Mark().line >= 0) where.append(":").append(std::to_string(node.Mark().line + 1));
  return where;
}

void YamlWalker::Error(const YAML::Node& node, const std::string& key, const std::string& message) {
  errors_.Add(Where(node), key, message);
}

void YamlWalker::Map(const YAML::Node& node, const std::string& path, const std::map<std::string, Handler>& handlers) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) return Error(node, path.empty() ? "(top level)" : path, "must be a mapping");
  for (const auto& kv : node) {
    std::string key;
    try {
      key = kv.first.as<std::string>();
    } catch (const YAML::Exception&) {
      Error(kv.first, path, "keys must be strings");
      continue;
    }
    const std::string full = path.empty() ? key : path + "." + key;
    // Where each key was written, for the checks across keys that run after the walk.
    errors_.where[full] = source_ + ":" + std::to_string(kv.first.Mark().line + 1);
    auto it = handlers.find(key);
    if (it == handlers.end()) {
      Error(kv.first, full, "unknown key");
      continue;
    }
    it->second(kv.second, full);
  }
}

YamlWalker::Handler YamlWalker::String(std::string& out) {
  return [this, &out](const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) return Error(n, key, "must be a string");
    out = n.Scalar();
  };
}

YamlWalker::Handler YamlWalker::SecretFile(std::string& out) {
  return [this, &out](const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) return Error(n, key, "must be a file path");
    Result<std::string> read = ReadFileBounded(n.Scalar(), kMaxSecretFileBytes);
    if (!read) return Error(n, key, read.error());
    std::string& v = read.value();
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
    if (v.empty()) return Error(n, key, n.Scalar() + " is empty");
    out = std::move(v);
  };
}

YamlWalker::Handler YamlWalker::Path(std::string& out, const std::string& dir) {
  return [this, &out, dir](const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) return Error(n, key, "must be a file path");
    out = JoinDir(dir, n.Scalar());
  };
}

YamlWalker::Handler YamlWalker::Bool(bool& out) {
  return [this, &out](const YAML::Node& n, const std::string& key) {
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    if (v == "true") out = true;
    else if (v == "false") out = false;
    else Error(n, key, "must be true or false");
  };
}

bool YamlWalker::ReadInteger(const YAML::Node& n, const std::string& key, long long min, long long max,
                             long long& out) {
  const std::string v = n.IsScalar() ? n.Scalar() : "";
  char* end = nullptr;
  errno = 0;
  long long x = v.empty() ? 0 : std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno) {
    Error(n, key, "must be an integer");
    return false;
  }
  if (x < min || x > max) {
    Error(n, key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  out = x;
  return true;
}

YamlWalker::Handler YamlWalker::Number(double& out, double min, double max) {
  return [this, &out, min, max](const YAML::Node& n, const std::string& key) {
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    char* end = nullptr;
    double x = v.empty() ? 0 : std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(x)) return Error(n, key, "must be a number");
    if (x < min || x > max) {
      std::ostringstream os;
      os << "must be between " << min << " and " << max;
      return Error(n, key, os.str());
    }
    out = x;
  };
}

YamlWalker::Handler YamlWalker::Duration(Seconds& out, UnixNanos min, UnixNanos max) {
  return [this, &out, min, max](const YAML::Node& n, const std::string& key) {
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    auto d = ParseDuration(v);
    if (!d) return Error(n, key, "invalid duration \"" + v + "\" (use e.g. 500ms, 30s, 5m, 1h, 7d)");
    if (*d < min) return Error(n, key, "must be at least " + FormatDuration(min));
    if (*d > max) return Error(n, key, "must be at most " + FormatDuration(max));
    out = Seconds(ToSeconds(*d));
  };
}

YAML::Node YamlWalker::At(const YAML::Node& map, const char* key) {
  if (map.IsMap() && map[key].IsDefined()) return map[key];
  return map;
}

void YamlWalker::OneOf(const YAML::Node& map, const std::string& path, const char* a, const char* b) {
  if (!map.IsMap() || !map[a].IsDefined() || !map[b].IsDefined()) return;
  const std::string prefix = path.empty() ? "" : path + ".";
  Error(map[b], prefix + b, std::string("set either ") + a + " or " + b + ", not both");
}

YamlWalker::Handler YamlWalker::StringList(std::vector<std::string>& out) {
  return [this, &out](const YAML::Node& n, const std::string& key) {
    if (!n.IsSequence()) return Error(n, key, "must be a list of strings");
    out.clear();
    for (size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) {
        Error(n[i], key + "[" + std::to_string(i) + "]", "must be a string");
        continue;
      }
      out.push_back(n[i].Scalar());
    }
  };
}

}  // namespace gx
