// The machine's floor under the push path: what a process spends, in CPU per message, only to be
// woken for small loopback TCP messages arriving evenly spaced (1,000 per second), with no parsing
// and no state. A forked child sends; the benchmark's process receives and is measured
// (CLOCK_PROCESS_CPUTIME_ID, all its threads).
//  BM_WakeFloor/0: one thread, blocking read().
//  BM_WakeFloor/1: one thread, epoll (edge-triggered) and non-blocking recv until EAGAIN, as Asio does.
//  BM_WakeFloor/2: as 1, and what each read brought handed to a second thread through a mutex and
//    condition variable (the shape the exporter must have: the I/O thread parses and enqueues, one
//    applier drains; like the exporter's queue, a push wakes the applier only when it was empty).
// The second argument is the burst: that many messages sent back to back every burst milliseconds
// (the same rate), as an outage's notifications arrive.
// Counters: cpu_us_per_msg, to compare with push_load_bench.py's marginal CPU per event, and in
// mode 2 the handoff delay (push to the applier's wake: p50, p99, max, share over 1 ms), to
// compare with the exporter's genesys_notifications_apply_delay_seconds.
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace {

constexpr int kMessages = 3000;
constexpr int kMessageBytes = 900;  // about a phone notification's size

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

[[noreturn]] void SendEvenly(const sockaddr_in& to, int burst) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0 || connect(s, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) _exit(1);
  const int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::vector<char> message(kMessageBytes, 'x');
  timespec due{};
  clock_gettime(CLOCK_MONOTONIC, &due);
  for (int sent = 0; sent < kMessages; sent += burst) {
    due.tv_nsec += 1'000'000L * burst;
    while (due.tv_nsec >= 1'000'000'000L) {
      due.tv_nsec -= 1'000'000'000L;
      ++due.tv_sec;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nullptr);
    for (int k = 0; k < burst; ++k) {
      if (write(s, message.data(), message.size()) != static_cast<ssize_t>(message.size())) _exit(1);
    }
  }
  close(s);
  _exit(0);
}

// One applier thread that wakes for every non-empty queue, as the exporter's does, and keeps
// each message's delay from its push to the applier's wake (the exporter's apply delay, less
// the apply itself).
class Handoff {
 public:
  using Clock = std::chrono::steady_clock;
  Handoff()
      : worker_([this] {
          std::unique_lock lock(mu_);
          for (;;) {
            cv_.wait(lock, [this] { return !queued_.empty() || stop_; });
            if (queued_.empty()) return;
            const Clock::time_point now = Clock::now();
            for (Clock::time_point pushed : queued_) delays_.push_back(now - pushed);
            queued_.clear();
          }
        }) {}
  ~Handoff() { Stop(); }
  // Drains what is queued, then ends the worker.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (worker_.joinable()) worker_.join();
  }
  void Push() {
    bool was_empty = false;
    {
      std::lock_guard lock(mu_);
      was_empty = queued_.empty();
      queued_.push_back(Clock::now());
    }
    if (was_empty) cv_.notify_one();
  }
  // After Stop().
  std::vector<Clock::duration> TakeDelays() { return std::move(delays_); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Clock::time_point> queued_;
  std::vector<Clock::duration> delays_;
  bool stop_ = false;
  std::thread worker_;
};

// Reads until the sender closes; returns the bytes read. Mode 2 adds the handoff delays to `delays`.
long Receive(int conn, int mode, std::vector<Handoff::Clock::duration>& delays) {
  std::vector<char> buffer(64 * 1024);
  long bytes = 0;
  if (mode == 0) {
    for (ssize_t n; (n = read(conn, buffer.data(), buffer.size())) > 0;) bytes += n;
    return bytes;
  }
  std::optional<Handoff> handoff;
  if (mode == 2) handoff.emplace();
  fcntl(conn, F_SETFL, O_NONBLOCK);
  const int ep = epoll_create1(0);
  epoll_event interest{};
  interest.events = EPOLLIN | EPOLLET;
  epoll_ctl(ep, EPOLL_CTL_ADD, conn, &interest);
  for (bool open = true; open;) {
    epoll_event ready{};
    if (epoll_wait(ep, &ready, 1, 5000) <= 0) break;
    for (;;) {
      const ssize_t n = recv(conn, buffer.data(), buffer.size(), 0);
      if (n == 0) open = false;
      if (n <= 0) break;
      bytes += n;
      if (handoff) handoff->Push();
    }
  }
  close(ep);
  if (handoff) {
    handoff->Stop();
    std::vector<Handoff::Clock::duration> mine = handoff->TakeDelays();
    delays.insert(delays.end(), mine.begin(), mine.end());
  }
  return bytes;
}

void BM_WakeFloor(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  const int burst = static_cast<int>(state.range(1));
  double cpu = 0;
  long bytes = 0;
  std::vector<Handoff::Clock::duration> delays;
  for (auto _ : state) {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      state.SkipWithError("no loopback listener");
      return;
    }
    const pid_t sender = fork();
    if (sender == 0) SendEvenly(address, burst);
    const int conn = accept(listener, nullptr, nullptr);
    close(listener);
    const double before = ProcessCpuSeconds();
    bytes += Receive(conn, mode, delays);
    cpu += ProcessCpuSeconds() - before;
    close(conn);
    int status = 0;
    waitpid(sender, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("the sender failed");
  }
  const double messages = static_cast<double>(state.iterations()) * kMessages;
  state.counters["cpu_us_per_msg"] = cpu * 1e6 / messages;
  state.counters["received_share"] = static_cast<double>(bytes) / (messages * kMessageBytes);
  if (!delays.empty()) {
    std::sort(delays.begin(), delays.end());
    const auto us = [&](double q) {
      const auto at = static_cast<std::size_t>(q * static_cast<double>(delays.size() - 1));
      return std::chrono::duration<double, std::micro>(delays[at]).count();
    };
    state.counters["handoff_p50_us"] = us(0.5);
    state.counters["handoff_p99_us"] = us(0.99);
    state.counters["handoff_max_us"] = us(1.0);
    state.counters["handoff_over_1ms"] = static_cast<double>(std::count_if(delays.begin(), delays.end(),
        [](auto d) { return d > std::chrono::milliseconds(1); })) / static_cast<double>(delays.size());
  }
}
BENCHMARK(BM_WakeFloor)
    ->ArgsProduct({{0, 1, 2}, {1, 10}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
