// The genesys_sim binary: --scenario/--listen/--port-file/--time-scale, the base URL on stdout,
// and a clean exit on SIGTERM. Skipped when the binary has not been built in this build tree.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/simulator/sim_test_util.h"

extern char** environ;

namespace gx::sim {
namespace {

TEST(MainBinaryTest, StartsServesAndStopsOnSigterm) {
  const std::string bin = std::string(GX_BINARY_DIR) + "/genesys_sim";
  if (!std::filesystem::exists(bin)) GTEST_SKIP() << "genesys_sim not built in " << GX_BINARY_DIR;
  char dir_template[] = "/tmp/genesys_sim_main_test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string port_file = dir + "/port", out_file = dir + "/out";
  const std::string scenario = std::string(GX_SOURCE_DIR) + "/simulator/scenarios/demo.yaml";
  std::vector<std::string> args = {bin, "--scenario", scenario, "--listen", "127.0.0.1:0", "--port-file", port_file,
                                   "--time-scale", "5", "--log.level", "warn"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_TRUE(testing::WaitFor([&] { return std::filesystem::exists(port_file); }, std::chrono::seconds(30)));
  int port = 0;
  std::ifstream(port_file) >> port;
  ASSERT_GT(port, 0);
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/sim/v1/scenario");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"name\":\"demo\""), std::string::npos);
  EXPECT_NE(r->body.find("\"timeScale\":5"), std::string::npos);
  std::string first_line;
  std::getline(std::ifstream(out_file) >> std::ws, first_line);
  EXPECT_EQ(first_line, "http://127.0.0.1:" + std::to_string(port));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_TRUE(testing::WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(20)));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::filesystem::remove_all(dir);
}

TEST(MainBinaryTest, RejectsAnUnknownScenarioFile) {
  const std::string bin = std::string(GX_BINARY_DIR) + "/genesys_sim";
  if (!std::filesystem::exists(bin)) GTEST_SKIP() << "genesys_sim not built in " << GX_BINARY_DIR;
  std::string cmd = bin + " --scenario /nonexistent/scenario.yaml 2>/dev/null";
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 2);
}

}  // namespace
}  // namespace gx::sim
