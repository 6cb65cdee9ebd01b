// The errors of loading a configuration, all in one format: "where: key: what is wrong".
// `where` is file:line for a key written in a file (the file alone for a key it lacks), the
// variable's name for a value from the environment, and "environment" when no file was read
// and nothing set the key. `key` is the configuration key ("alerting.receivers[0].url"), or
// "(top level)" for the document itself. Not thread-safe: one per load.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gx {

// `where` of a key that neither a file nor a variable set, when no file was read.
inline constexpr std::string_view kEnvironmentOrigin = "environment";

struct ConfigErrors {
  std::vector<std::string> messages;
  // Where each key that was set got its value: "file:line", or the variable's name; so that
  // checks across keys, made after loading, point there too.
  std::map<std::string, std::string> where;
  std::string file;  // the configuration file read, if any

  bool ok() const { return messages.empty(); }

  void Add(std::string_view at, std::string_view key, std::string_view message);
  // For checks made after loading: the error is placed where `key` was set, else where
  // `fallback` (the key it is compared with, or its section) was, else in the file, else
  // in the environment.
  void AddFor(const std::string& key, std::string_view message, const std::string& fallback = "");
  std::string WhereOf(const std::string& key, const std::string& fallback = "") const;
};

}  // namespace gx
