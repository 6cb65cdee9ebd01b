// Test-only: bcrypt hashes made at test time, by libcrypt (crypt_gensalt_rn + crypt_rn) and by
// an independent implementation, Apache's htpasswd (apache2-utils, from scripts/install-deps).
#pragma once

#include <crypt.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/exporter/util/scratch_dir.h"

namespace gx::testing {

inline std::string LibcryptBcrypt(const std::string& password, int cost, const char* prefix = "$2b$") {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn(prefix, static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt) == nullptr) {
    throw std::runtime_error("crypt_gensalt_rn failed");
  }
  crypt_data data{};
  const char* hash = crypt_rn(password.c_str(), salt, &data, sizeof data);
  if (hash == nullptr) throw std::runtime_error("crypt_rn failed");
  return hash;
}

// "$2y$<cost>$..." from `htpasswd -niB`; the password goes through a file, not the command line.
inline std::string HtpasswdBcrypt(const std::string& password, int cost) {
  ScratchDir dir("gx-htpasswd");
  const std::string input = (dir.path() / "password").string();
  std::ofstream(input) << password;
  const std::string command = "htpasswd -niB -C " + std::to_string(cost) + " user < " + input + " 2>&1";
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  const size_t colon = out.find(':');
  if (out.rfind("user:", 0) != 0 || colon == std::string::npos) {
    throw std::runtime_error("htpasswd (apache2-utils, scripts/install-deps) failed: " + out);
  }
  std::string hash = out.substr(colon + 1);
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  return hash;
}

}  // namespace gx::testing
