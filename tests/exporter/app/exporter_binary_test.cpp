// Drives the real genesys_exporter binary: config check, version, routes, the port file,
// promtool over /metrics, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "exporter/outputs/http/listen_sockets.h"
#include "tests/exporter/util/port_file_reader.h"
#include "tests/exporter/util/wait_for.h"

namespace {

using gx::testing::ReadPortFile;

const std::string kBinary = std::string(GX_BINARY_DIR) + "/genesys_exporter";

struct ProcessRun {
  int exit_code = -1;
  std::string output;
};

// Runs the binary to completion with the given environment, capturing stdout+stderr.
ProcessRun RunToEnd(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::string cmd = "env -i";
  for (const auto& e : env) cmd += " '" + e + "'";
  cmd += " " + kBinary;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  ProcessRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "w");
    dup2(fileno(f), 1);
    dup2(fileno(f), 2);
    std::vector<char*> argv{const_cast<char*>(kBinary.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    execve(kBinary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const std::vector<std::string> kEnv = {"GENESYS_CLIENT_ID=test-client", "GENESYS_CLIENT_SECRET=very-secret-value",
                                       "GENESYS_API_URL=http://127.0.0.1:9", "GENESYS_LOGIN_URL=http://127.0.0.1:9"};

// The output of a shell command, without the trailing newline.
std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// One "  key:   value" line of --version.
std::string VersionField(const std::string& text, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("\n  " + key + ": +([^\n]*)\n"))) return "";
  return m[1];
}

// What Prometheus binaries print, with the facts of this build: the date is the commit's
// (not the wall clock at build time, so that ccache and reproducible builds work).
TEST(ExporterBinary, Version) {
  ProcessRun r = RunToEnd({"--version"}, {});
  EXPECT_EQ(r.exit_code, 0);
  std::smatch head;
  ASSERT_TRUE(std::regex_search(r.output, head,
                                std::regex("^genesys_exporter, version ([0-9.]+) \\(branch: ([^ ,]+), revision: "
                                           "([0-9a-f]{12})\\)\n")))
      << r.output;
  EXPECT_NE(VersionField(r.output, "build user").find('@'), std::string::npos) << r.output;
  EXPECT_NE(VersionField(r.output, "compiler"), "") << r.output;
  utsname uts{};
  ASSERT_EQ(uname(&uts), 0);
  const std::string machine = uts.machine;
  const std::string arch = machine == "x86_64" ? "amd64" : machine == "aarch64" ? "arm64" : machine;
  EXPECT_EQ(VersionField(r.output, "platform"), "linux/" + arch);

  const std::string git = "git -C '" + std::string(GX_SOURCE_DIR) + "' ";
  const std::string revision = head[3];
  std::string epoch = Shell(git + "show -s --format=%ct " + revision + " 2>/dev/null");
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) epoch = sde;  // what the build used instead
  ASSERT_FALSE(epoch.empty()) << "revision " << revision << " is not in " << GX_SOURCE_DIR;
  const std::time_t t = std::stoll(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y%m%d-%H:%M:%S", &tm);
  EXPECT_EQ(VersionField(r.output, "build date"), date) << r.output;
  // The branch of the build, when the checkout has not moved since.
  if (Shell(git + "rev-parse --short=12 HEAD") == revision) {
    EXPECT_EQ(head[2], Shell(git + "rev-parse --abbrev-ref HEAD"));
  }
}

TEST(ExporterBinary, BadFlagExitsOne) {
  ProcessRun r = RunToEnd({"--bogus"}, kEnv);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "genesys_exporter: error: unknown flag --bogus (see --help)\n");
}

TEST(ExporterBinary, ConfigCheckPrintsEveryErrorWithLine) {
  char path[] = "/tmp/gx_cfg_XXXXXX";
  int fd = mkstemp(path);
  std::string yaml = "genesys:\n  client_secret: very-secret-value\ncollection:\n  page_size: x\n  intervals:\n    phones: 1y\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  ProcessRun bad = RunToEnd({"--config.check", std::string("--config.file=") + path}, {});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find(std::string(path) + ":4: collection.page_size: must be an integer"), std::string::npos)
      << bad.output;
  EXPECT_NE(bad.output.find(std::string(path) + ":6: collection.intervals.phones: invalid duration"), std::string::npos);
  EXPECT_NE(bad.output.find("genesys.client_id: missing"), std::string::npos);
  EXPECT_EQ(bad.output.find("very-secret-value"), std::string::npos);
  std::remove(path);

  char dir[] = "/tmp/gx_cfgdir_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string good_config = std::string(dir) + "/config.yml";
  std::ofstream(good_config) << "alerting:\n  spool_dir: " << dir << "/spool\n";
  ProcessRun good = RunToEnd({"--config.check", "--config.file=" + good_config}, kEnv);
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_EQ(good.output, "configuration is valid\n");
  std::system(("rm -rf " + std::string(dir)).c_str());
}

// The spool folder was never created, and nothing said so: alert state and queued
// webhooks were silently not durable.
TEST(ExporterBinary, ConfigCheckFailsWhenTheSpoolFolderCannotBeCreated) {
  char path[] = "/tmp/gx_cfg_XXXXXX";
  int fd = mkstemp(path);
  const std::string yaml = "alerting:\n  spool_dir: /dev/null/spool\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  ProcessRun r = RunToEnd({"--config.check", std::string("--config.file=") + path}, kEnv);
  std::remove(path);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("alerting.spool_dir: create directory /dev/null/spool: /dev/null is not a directory"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("configuration is valid"), std::string::npos) << r.output;
}

// The ports in `port_file` once the exporter has written it; empty after 20 s.
std::vector<int> WaitForPorts(const std::string& port_file) {
  std::vector<int> ports;
  gx::testing::WaitFor([&] { return !(ports = ReadPortFile(port_file)).empty(); });
  return ports;
}

struct StartedExporter {
  pid_t pid = 0;  // 0: it did not start
  int port = 0;
};

// Starts the exporter on a port the kernel picks, with `config`; it answers once its port file
// (next to the log) is written.
StartedExporter StartExporter(const std::string& config_path, const std::string& log) {
  const std::string port_file = log + ".port";
  StartedExporter started;
  started.pid = Spawn({"--web.listen-address=127.0.0.1:0", "--web.port-file=" + port_file,
                       "--config.file=" + config_path, "--log.level=debug"},
                      kEnv, log);
  const std::vector<int> ports = WaitForPorts(port_file);
  if (!ports.empty()) {
    started.port = ports[0];
    return started;
  }
  kill(started.pid, SIGKILL);
  waitpid(started.pid, nullptr, 0);
  return {};
}

void StopExporter(pid_t pid) {
  kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && waitpid(pid, nullptr, WNOHANG) == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (kill(pid, 0) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
}

TEST(ExporterBinary, AnUnwritableSpoolIsSaidAtStartOnTheLandingPageAndInMetrics) {
  char dir[] = "/tmp/gx_spoolbad_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string config_path = std::string(dir) + "/config.yml";
  std::ofstream(config_path) << "alerting:\n  spool_dir: /dev/null/spool\n";
  const std::string log = std::string(dir) + "/exporter.log";
  const StartedExporter exporter = StartExporter(config_path, log);
  ASSERT_NE(exporter.pid, 0) << ReadFile(log);
  httplib::Client client("127.0.0.1", exporter.port);
  auto metrics = client.Get("/metrics");
  auto page = client.Get("/");
  StopExporter(exporter.pid);
  const std::string output = ReadFile(log);
  std::system(("rm -rf " + std::string(dir)).c_str());
  ASSERT_TRUE(metrics && page);
  EXPECT_NE(metrics->body.find("\ngenesys_spool_writable 0\n"), std::string::npos) << metrics->body;
  EXPECT_NE(page->body.find("not writable"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("/dev/null is not a directory"), std::string::npos) << page->body;
  EXPECT_NE(output.find("alerting.spool_dir: create directory /dev/null/spool: /dev/null is not a directory"),
            std::string::npos)
      << output;
}

// Waits for the process to exit (its exit code) or for the deadline (-1, and it is killed).
int WaitForExit(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

TEST(ExporterBinary, UrlSecretsNeverReachTheOutput) {
  const std::string api = "http://u:PASSWORD@127.0.0.1:9";  // the discard port: nobody answers
  const std::vector<std::string> env = {"GENESYS_CLIENT_ID=test-client", "GENESYS_CLIENT_SECRET=very-secret-value",
                                        "GENESYS_API_URL=" + api};
  // Started for real: the exporter must refuse the URL (cpp-httplib cannot use user info) without
  // printing the password, instead of logging "polling http://u:PASSWORD@...".
  const std::string log = testing::TempDir() + "exporter_binary_url_secrets.log";
  pid_t pid = Spawn({"--web.listen-address=127.0.0.1:0"}, env, log);
  const int exit_code = WaitForExit(pid, std::chrono::seconds(10));
  const std::string output = ReadFile(log);
  EXPECT_EQ(output.find("PASSWORD"), std::string::npos) << output;
  EXPECT_EQ(exit_code, 1) << output;
  EXPECT_NE(output.find("genesys_exporter: config error: GENESYS_API_URL: genesys.api_url: invalid URL \"http://***@127.0.0.1:"),
            std::string::npos)
      << output;

  // --config.check with a receiver URL that carries user info and a token.
  char path[] = "/tmp/gx_cfg_XXXXXX";
  int fd = mkstemp(path);
  const std::string yaml =
      "alerting:\n  receivers:\n    - name: ops\n      url: https://u:PASSWORD@hooks.example/x?token=SECRET\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  ProcessRun check = RunToEnd({"--config.check", std::string("--config.file=") + path}, env);
  std::remove(path);
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_EQ(check.output.find("PASSWORD"), std::string::npos) << check.output;
  EXPECT_EQ(check.output.find("SECRET"), std::string::npos) << check.output;
  const std::string expected = ":4: alerting.receivers[0].url: invalid URL \"https://***@hooks.example/...\"";
  EXPECT_NE(check.output.find(std::string(path) + expected), std::string::npos)
      << check.output;
}

TEST(ExporterBinary, ConfigCheckValidatesTheWebConfigFile) {
  char dir[] = "/tmp/gx_web_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string web = std::string(dir) + "/web.yml";
  std::ofstream(web) << "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "basic_auth_users:\n  john: hunter2\n";
  ProcessRun check = RunToEnd({"--config.check", "--web.config.file=" + web}, kEnv);
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_NE(check.output.find(web + ":5: basic_auth_users.john: not a bcrypt hash"), std::string::npos)
      << check.output;
  EXPECT_EQ(check.output.find("hunter2"), std::string::npos) << check.output;
  // Start-up refuses it with the same message.
  ProcessRun start = RunToEnd({"--web.config.file=" + web}, kEnv);
  EXPECT_EQ(start.exit_code, 1);
  EXPECT_NE(start.output.find("config error: " + web + ":5: basic_auth_users.john: not a bcrypt hash"),
            std::string::npos)
      << start.output;
  // Fixed users, and the certificate it names is missing: said with its line.
  std::ofstream(web) << "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
  check = RunToEnd({"--config.check", "--web.config.file=" + web}, kEnv);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.output.find(web + ":2: tls_server_config.cert_file: cannot read " + dir +
                              "/server.crt: No such file or directory"),
            std::string::npos)
      << check.output;
  std::ofstream(web) << "http_server_config:\n  headers:\n    X-Frame-Options: deny\n";
  check = RunToEnd({"--config.check", "--web.config.file=" + web}, kEnv);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("configuration is valid"), std::string::npos);
  std::filesystem::remove_all(dir);
  check = RunToEnd({"--config.check", "--web.config.file=" + web}, kEnv);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.output.find("--web.config.file: cannot read " + web + ": No such file or directory"),
            std::string::npos)
      << check.output;
}

TEST(ExporterBinary, ServesRoutesPassesPromtoolAndStopsOnSigterm) {
  const std::string log = testing::TempDir() + "exporter_binary_test.log";
  char spool[] = "/tmp/gx_spool_XXXXXX";
  ASSERT_NE(mkdtemp(spool), nullptr);
  const std::string config_path = std::string(spool) + "/config.yml";
  const std::string spool_dir = std::string(spool) + "/data/spool";  // created at start
  std::ofstream(config_path) << "alerting:\n  spool_dir: " << spool_dir << "\n";
  const StartedExporter exporter = StartExporter(config_path, log);
  ASSERT_NE(exporter.pid, 0) << ReadFile(log);
  const pid_t pid = exporter.pid;
  httplib::Client client("127.0.0.1", exporter.port);
  auto healthy = client.Get("/-/healthy");
  ASSERT_TRUE(healthy) << ReadFile(log);
  EXPECT_EQ(healthy->status, 200);
  // The API at 127.0.0.1:9 is unreachable, so the first poll never completes.
  EXPECT_EQ(client.Get("/-/ready")->status, 503);
  EXPECT_EQ(client.Get("/")->status, 200);
  EXPECT_EQ(client.Get("/dashboard")->status, 200);
  auto status_page = client.Get("/status");
  ASSERT_TRUE(status_page);
  EXPECT_EQ(status_page->status, 200);
  EXPECT_EQ(status_page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(status_page->body.find("<header id=\"verdict\""), std::string::npos) << status_page->body;
  auto too_many = client.Get("/dashboard?limit=100000");
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 400);
  EXPECT_EQ(too_many->body, "{\"error\":\"limit must be at most 5000 (page through the rest with offset)\"}");

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("genesys_exporter_build_info{"), std::string::npos);
  EXPECT_NE(metrics->body.find("process_resident_memory_bytes "), std::string::npos);
  EXPECT_EQ(metrics->body.find("very-secret-value"), std::string::npos);
  EXPECT_NE(metrics->body.find("\ngenesys_spool_writable 1\n"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat(spool_dir.c_str(), &st), 0) << "the spool folder was not created";
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const std::string metrics_file = std::string(spool) + "/metrics.txt";
  std::ofstream(metrics_file) << metrics->body;
  ProcessRun promtool;
  FILE* p = popen(("promtool check metrics < " + metrics_file + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) promtool.output.append(buf, n);
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 0);
  EXPECT_EQ(promtool.output, "");

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  pid_t done = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && (done = waitpid(pid, &status, WNOHANG)) == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done == 0) kill(pid, SIGKILL);
  ASSERT_EQ(done, pid) << "did not stop within 5 s of SIGTERM\n" << ReadFile(log);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string output = ReadFile(log);
  EXPECT_NE(output.find("msg=\"shutting down\" signal=SIGTERM\n"), std::string::npos) << output;
  EXPECT_EQ(output.find("very-secret-value"), std::string::npos);
  std::system(("rm -rf " + std::string(spool)).c_str());
}


// --web.systemd-socket, as systemd starts a socket-activated service: the listening socket at
// fd 3, LISTEN_FDS=1 and LISTEN_PID naming the exporter's own process.
TEST(ExporterBinary, ServesTheSocketSystemdPasses) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 16), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  const std::string log = testing::TempDir() + "exporter_binary_systemd.log";
  const std::string port_file = testing::TempDir() + "exporter_binary_systemd.port";
  const pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "w");
    dup2(fileno(f), 1);
    dup2(fileno(f), 2);
    const int moved = fcntl(listener, F_DUPFD, 10);  // never 3 itself, so dup2 clears close-on-exec
    dup2(moved, 3);
    std::vector<std::string> env = kEnv;
    env.push_back("LISTEN_FDS=1");
    env.push_back("LISTEN_PID=" + std::to_string(getpid()));
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string flag = "--web.systemd-socket", port_flag = "--web.port-file=" + port_file;
    char* argv[] = {const_cast<char*>(kBinary.c_str()), flag.data(), port_flag.data(), nullptr};
    execve(kBinary.c_str(), argv, envp.data());
    _exit(127);
  }
  close(listener);
  httplib::Client client("127.0.0.1", port);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && status == 0) {
    if (auto res = client.Get("/-/healthy")) status = res->status;
    if (status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto metrics = client.Get("/metrics");
  const std::vector<int> written = WaitForPorts(port_file);
  StopExporter(pid);
  const std::string output = ReadFile(log);
  EXPECT_EQ(status, 200) << output;
  EXPECT_EQ(written, std::vector<int>{port}) << output;  // the socket's port, as systemd bound it
  ASSERT_TRUE(metrics) << output;
  EXPECT_NE(metrics->body.find("\ngenesys_web_connections 1\n"), std::string::npos) << metrics->body;
  EXPECT_NE(output.find("msg=listening address=127.0.0.1:" + std::to_string(port) + " port=" + std::to_string(port) +
                        " bound=\"systemd socket\"\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("msg=\"open file limit\" soft="), std::string::npos) << output;
}

TEST(ExporterBinary, SystemdSocketWithoutActivationFailsClearly) {
  const std::string log = testing::TempDir() + "exporter_binary_no_systemd.log";
  const pid_t pid = Spawn({"--web.systemd-socket"}, kEnv, log);
  EXPECT_EQ(WaitForExit(pid, std::chrono::seconds(10)), 1);
  const std::string output = ReadFile(log);
  EXPECT_NE(
      output.find("msg=\"start-up failed\" err=\"--web.systemd-socket: no socket activation file descriptors found"),
      std::string::npos)
      << output;
}

// --web.port-file: the ports the kernel picked, one per line in the order of the addresses (as
// the log says), there only once the exporter answers on them, and gone after a clean stop.
TEST(ExporterBinary, PortFileHoldsTheBoundPortsOnceServing) {
  const std::string port_file = testing::TempDir() + "exporter_binary_port_file.port";
  const std::string log = testing::TempDir() + "exporter_binary_port_file.log";
  std::remove(port_file.c_str());
  const pid_t pid = Spawn({"--web.listen-address=127.0.0.1:0", "--web.listen-address=127.0.0.1:0",
                           "--web.port-file=" + port_file},
                          kEnv, log);
  const std::vector<int> ports = WaitForPorts(port_file);
  ASSERT_EQ(ports.size(), 2u) << ReadFile(log);
  EXPECT_NE(ports[0], ports[1]);
  for (const int port : ports) {
    httplib::Client client("127.0.0.1", port);
    auto healthy = client.Get("/-/healthy");  // at once, no retry
    ASSERT_TRUE(healthy) << "nothing answers on port " << port << " from the port file\n" << ReadFile(log);
    EXPECT_EQ(healthy->status, 200);
  }
  const std::string output = ReadFile(log);
  const auto first = output.find("msg=listening address=127.0.0.1:0 port=" + std::to_string(ports[0]) + " ");
  const auto second = output.find("msg=listening address=127.0.0.1:0 port=" + std::to_string(ports[1]) + " ");
  EXPECT_NE(first, std::string::npos) << output;
  EXPECT_NE(second, std::string::npos) << output;
  EXPECT_LT(first, second) << output;
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(WaitForExit(pid, std::chrono::seconds(10)), 0) << ReadFile(log);
  EXPECT_FALSE(std::filesystem::exists(port_file)) << "a stopped exporter left its port file";
}

// A start that fails leaves no port file, not even one from an earlier run; one that cannot write
// the file fails (its caller could never find the port) and says why.
TEST(ExporterBinary, NoPortFileWhenTheStartFails) {
  const std::string port_file = testing::TempDir() + "exporter_binary_no_port_file.port";
  const std::string log = testing::TempDir() + "exporter_binary_no_port_file.log";
  const auto opened = gx::OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const gx::ListenSocket& busy = *opened;
  std::ofstream(port_file) << busy.port << "\n";  // an earlier run's
  const std::string taken = "127.0.0.1:" + std::to_string(busy.port);
  pid_t pid = Spawn({"--web.listen-address=127.0.0.1:0", "--web.listen-address=" + taken, "--web.port-file=" + port_file},
                    kEnv, log);
  const int exit_code = WaitForExit(pid, std::chrono::seconds(20));
  close(busy.fd);
  std::string output = ReadFile(log);
  EXPECT_EQ(exit_code, 1) << output;
  EXPECT_NE(output.find("--web.listen-address: cannot listen on " + taken + ": Address already in use"),
            std::string::npos)
      << output;
  EXPECT_FALSE(std::filesystem::exists(port_file)) << output;

  const std::string unwritable = testing::TempDir() + "no-such-folder/exporter.port";
  pid = Spawn({"--web.listen-address=127.0.0.1:0", "--web.port-file=" + unwritable}, kEnv, log);
  EXPECT_EQ(WaitForExit(pid, std::chrono::seconds(20)), 1);
  output = ReadFile(log);
  EXPECT_NE(output.find("msg=\"start-up failed\" err=\"--web.port-file: open " + unwritable +
                        ".tmp: No such file or directory\""),
            std::string::npos)
      << output;
}

}  // namespace
