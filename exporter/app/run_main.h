// The whole program behind main(): flags, config, App, run until SIGTERM/SIGINT.
// Kept out of main.cpp so that tests can drive it. Call from the main thread.
#pragma once

#include <string>
#include <vector>

namespace gx {

// Returns the process exit code.
int RunMain(const std::vector<std::string>& args);

}  // namespace gx
