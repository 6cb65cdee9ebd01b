// A real binary run by a test: started with posix_spawn with exactly the given
// arguments and environment (plus the test's own sanitizer options, so that a
// sanitized child stops on a finding as the test would), stdout+stderr into a log
// file; killed (SIGKILL) and reaped when the object goes away. Single-threaded use.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace gx::testing {

class ChildProcess {
 public:
  // args[0] is the binary's path. `error` is set when it cannot be started.
  ChildProcess(std::vector<std::string> args, std::vector<std::string> env, std::string log)
      : log_(std::move(log)) {
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"}) {
      if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    }
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data()); rc != 0) {
      pid_ = -1;
      error_ = args[0] + ": " + std::to_string(rc);
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ChildProcess() { Kill(SIGKILL); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::string& error() const { return error_; }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    pid_ = -1;
    return false;
  }
  // Sends `sig` and waits (bounded) for the process to end. True when it ended.
  bool Kill(int sig, std::chrono::seconds limit = std::chrono::seconds(20)) {
    if (pid_ <= 0) return true;
    ::kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  std::string Log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  std::string error_;
};

// The port of the exporter's first listener, from its log ("listening on ... (port N)"); 0
// before it is there. For --web.listen-address=127.0.0.1:0.
inline int ListeningPort(const std::string& log) {
  const auto at = log.find("(port ");
  return at == std::string::npos ? 0 : std::atoi(log.c_str() + at + 6);
}

}  // namespace gx::testing
