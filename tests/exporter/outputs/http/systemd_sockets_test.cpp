// Socket activation without systemd: a child process gets LISTEN_FDS/LISTEN_PID and the
// sockets at fd 3.., as systemd passes them, and takes them with TakeSystemdSockets.
#include "exporter/outputs/http/systemd_sockets.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>

namespace gx {
namespace {

// Runs `body` in a forked child that holds `fds` at 3, 4, ... with the activation variables
// set (n_declared of them declared; none at all when negative); returns what the child wrote to its pipe.
std::string InActivatedChild(const std::vector<int>& fds, int n_declared,
                             const std::function<std::string()>& body) {
  int out[2];
  if (pipe(out) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    ::close(out[0]);
    int report = fcntl(out[1], F_DUPFD_CLOEXEC, 100);
    std::vector<int> moved;
    for (int fd : fds) moved.push_back(fcntl(fd, F_DUPFD, 100));
    for (size_t i = 0; i < moved.size(); ++i) dup2(moved[i], 3 + static_cast<int>(i));
    if (n_declared >= 0) {
      setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
      setenv("LISTEN_FDS", std::to_string(n_declared).c_str(), 1);
    } else {
      unsetenv("LISTEN_PID");
      unsetenv("LISTEN_FDS");
    }
    const std::string result = body();
    (void)!write(report, result.data(), result.size());
    _exit(0);
  }
  ::close(out[1]);
  std::string result;
  char buf[512];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) result.append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  waitpid(pid, nullptr, 0);
  return result;
}

std::string Take() {
  const auto sockets = TakeSystemdSockets();
  if (!sockets) return "error: " + sockets.error();
  std::string out;
  for (const auto& s : *sockets) out += std::to_string(s.fd) + "=" + s.bound + ";";
  out += getenv("LISTEN_FDS") ? " env kept" : " env unset";
  return out;
}

TEST(SystemdSockets, TakesEveryPassedListeningSocket) {
  const auto first = OpenListenSocket("127.0.0.1:0");
  const auto second = OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_TRUE(second.ok()) << second.error();
  const ListenSocket& a = *first;
  const ListenSocket& b = *second;
  const std::string got = InActivatedChild({a.fd, b.fd}, 2, Take);
  EXPECT_EQ(got, "3=" + a.bound + ";4=" + b.bound + "; env unset");
  ::close(a.fd);
  ::close(b.fd);
}

TEST(SystemdSockets, NoneOrTheWrongKindIsAnError) {
  EXPECT_EQ(InActivatedChild({}, -1, Take),
            "error: no socket activation file descriptors found (LISTEN_FDS/LISTEN_PID not set for this process)");
  const auto opened = OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const ListenSocket& tcp = *opened;
  EXPECT_EQ(InActivatedChild({tcp.fd}, 1, [] {
              setenv("LISTEN_PID", "1", 1);  // meant for another process
              return Take();
            }),
            "error: no socket activation file descriptors found (LISTEN_FDS/LISTEN_PID not set for this process)");
  ::close(tcp.fd);
  const int udp = socket(AF_INET, SOCK_DGRAM, 0);
  EXPECT_EQ(InActivatedChild({udp}, 1, Take),
            "error: socket activation: file descriptor 3 is not a listening TCP socket (use ListenStream= with an "
            "IP address or port)");
  ::close(udp);
}

}  // namespace
}  // namespace gx
