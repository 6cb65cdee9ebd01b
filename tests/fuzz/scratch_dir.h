// Fuzz helper: a private scratch folder for targets that read files, on tmpfs when
// the machine has one (/dev/shm), removed when the fuzzer exits.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gx::fuzz {

inline std::string ScratchDir(const std::string& name) {
  const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::getenv("TMPDIR");
  std::string dir = std::string(base ? base : "/tmp") + "/gx-fuzz-" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  static std::string to_remove;
  to_remove = dir;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(to_remove, ec);
  });
  return dir;
}

}  // namespace gx::fuzz
