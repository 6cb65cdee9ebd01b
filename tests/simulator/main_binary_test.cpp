// The genesys_sim binary: --scenario/--listen/--port-file/--time-scale, the base URL on stdout,
// a clean exit on SIGTERM, and no port file when it cannot bind. Skipped when the binary has not
// been built in this build tree.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/exporter/util/port_file_reader.h"
#include "tests/simulator/sim_test_util.h"

extern char** environ;

namespace gx::sim {
namespace {

const std::string kBinary = std::string(GX_BINARY_DIR) + "/genesys_sim";
const std::string kDemo = std::string(GX_SOURCE_DIR) + "/simulator/scenarios/demo.yaml";

// Starts genesys_sim with `flags` after the demo scenario, stdout into `out_file` and stderr into
// `out_file`.err; its pid, or -1.
pid_t SpawnSim(std::vector<std::string> flags, const std::string& out_file) {
  std::vector<std::string> args = {kBinary, "--scenario", kDemo};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string err_file = out_file + ".err";
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  if (posix_spawn(&pid, kBinary.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// The exit code once `pid` ends by itself (bounded); -1 when it was killed or did not end.
int ExitCode(pid_t pid) {
  int status = 0;
  if (!testing::WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(20))) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(MainBinaryTest, StartsServesAndStopsOnSigterm) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << "genesys_sim not built in " << GX_BINARY_DIR;
  char dir_template[] = "/tmp/genesys_sim_main_test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string port_file = dir + "/port", out_file = dir + "/out";
  const pid_t pid = SpawnSim({"--listen", "127.0.0.1:0", "--port-file", port_file, "--time-scale", "5", "--log.level",
                              "warn"},
                             out_file);
  ASSERT_GT(pid, 0);
  std::vector<int> ports;
  ASSERT_TRUE(testing::WaitFor([&] { return !(ports = gx::testing::ReadPortFile(port_file)).empty(); },
                               std::chrono::seconds(30)));
  ASSERT_EQ(ports.size(), 1u);
  const int port = ports[0];
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
  EXPECT_EQ(ExitCode(pid), 0);
  EXPECT_FALSE(std::filesystem::exists(port_file)) << "a stopped simulator left its port file";
  std::filesystem::remove_all(dir);
}

// A second simulator on the first one's port cannot bind: it fails, and leaves no port file, not
// even the one an earlier run left there.
TEST(MainBinaryTest, NoPortFileWhenThePortIsTaken) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << "genesys_sim not built in " << GX_BINARY_DIR;
  char dir_template[] = "/tmp/genesys_sim_main_test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const pid_t first = SpawnSim({"--listen", "127.0.0.1:0", "--port-file", dir + "/first.port"}, dir + "/first.out");
  ASSERT_GT(first, 0);
  std::vector<int> ports;
  ASSERT_TRUE(testing::WaitFor([&] { return !(ports = gx::testing::ReadPortFile(dir + "/first.port")).empty(); },
                               std::chrono::seconds(30)));
  const std::string taken = "127.0.0.1:" + std::to_string(ports[0]);
  std::ofstream(dir + "/second.port") << "1234\n";  // an earlier run's
  const pid_t second = SpawnSim({"--listen", taken, "--port-file", dir + "/second.port"}, dir + "/second.out");
  ASSERT_GT(second, 0);
  EXPECT_EQ(ExitCode(second), 1);
  EXPECT_FALSE(std::filesystem::exists(dir + "/second.port"));
  std::ifstream out(dir + "/second.out.err");
  const std::string said((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(said.find("genesys_sim: cannot bind HTTP on " + taken + ": "), std::string::npos) << said;
  kill(first, SIGTERM);
  EXPECT_EQ(ExitCode(first), 0);
  std::filesystem::remove_all(dir);
}

TEST(MainBinaryTest, RejectsAnUnknownScenarioFile) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << "genesys_sim not built in " << GX_BINARY_DIR;
  std::string cmd = kBinary + " --scenario /nonexistent/scenario.yaml 2>/dev/null";
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 2);
}

}  // namespace
}  // namespace gx::sim
