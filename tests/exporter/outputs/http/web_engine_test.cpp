// The web server's connection handling (WebEngine, through HttpServer): connections cannot
// starve a scrape, requests are bounded (413 before a body is read, 431 for huge headers,
// with bounded memory), descriptors are freed, the cap drops the oldest idle connection
// first, every timeout closes what it should, and the counters account for every connection.
// The first tests use only HttpServer's original interface, so they also run on the old
// server (cpp-httplib), where they fail.
#include "exporter/outputs/http/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <fcntl.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <numeric>
#include <thread>

#include "exporter/outputs/http/web_engine.h"
#include "exporter/state/health_state.h"
#include "exporter/util/open_file_limit.h"
#include "tests/exporter/util/loopback_socket.h"
#include "tests/exporter/util/wait_for.h"

namespace gx {
namespace {

using gx::testing::LoopbackSocket;
using gx::testing::StatusOf;
using namespace std::chrono_literals;

// Polls `condition` until it holds or `limit` passes; returns its last value.
using gx::testing::WaitFor;

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

HttpHandlers Handlers(std::function<std::string()> metrics = [] { return std::string("genesys_up 1\n"); }) {
  HttpHandlers h;
  h.metrics = [metrics = std::move(metrics)](bool) { return EncodedBody{metrics()}; };
  h.landing_page = [] { return std::string("<html></html>"); };
  h.ready = [] { return true; };
  h.dashboard = [](const QueryParams&) { return WebResponse{}; };
  return h;
}

// Two thousand client sockets and their server sides need more than the usual 1,024.
bool EnoughDescriptors() { return RaiseOpenFileLimit().soft >= 5000; }

std::string Get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n"; }

// A real scrape with cpp-httplib's client, as a test of the server from outside.
int Scrape(int port, std::string* body = nullptr) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(10s);
  client.set_read_timeout(10s);
  auto res = client.Get("/metrics");
  if (!res) return 0;
  if (body) *body = res->body;
  return res->status;
}

// --- Behaviour that the old server (thread per connection) did not have ---------------------

TEST(WebEngine, ScrapeAnswersWhileThousandsOfConnectionsIdleOrTrickle) {
  if (!EnoughDescriptors()) GTEST_SKIP() << "the open-file limit is below 5,000";
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  const int port = server.ports()[0];
  std::vector<LoopbackSocket> idle, slowloris;
  for (int i = 0; i < 1000; ++i) idle.emplace_back(port);
  for (int i = 0; i < 1000; ++i) {
    slowloris.emplace_back(port);
    slowloris.back().Send("GET /metrics HTTP/1.1\r\nX-Slow: ");
  }
  for (int round = 0; round < 2; ++round) {
    for (auto& s : slowloris) s.Send("a");  // one header byte each, never the end of the header
    std::string body;
    EXPECT_EQ(Scrape(port, &body), 200) << "round " << round;
    EXPECT_EQ(body, "genesys_up 1\n");
  }
}

TEST(WebEngine, BodyOverTheLimitIs413BeforeItIsSent) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  const long rss_before = RssKiB();
  LoopbackSocket client(server.ports()[0]);
  ASSERT_TRUE(client.ok());
  client.Send("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 104857600\r\n\r\n");
  const std::string response = client.ReadResponse(10s);
  EXPECT_EQ(StatusOf(response), 413) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  // The body the client goes on sending is not taken: the server closes after a bounded read.
  const std::string chunk(1 << 20, 'x');
  size_t sent = 0;
  for (int i = 0; i < 100 && client.ok(); ++i) {
    const size_t n = client.Send(chunk, 3s);
    sent += n;
    if (n < chunk.size()) break;
  }
  EXPECT_LT(sent, size_t{100} << 20) << "the server read the whole 100 MB body";
  EXPECT_LT(RssKiB() - rss_before, 32 * 1024) << "RSS grew while refusing a body";
}

TEST(WebEngine, MillionHeaderLinesAreRefusedWithBoundedMemory) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  const long rss_before = RssKiB();
  std::vector<LoopbackSocket> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back(server.ports()[0]);
    clients.back().Send("GET /metrics HTTP/1.1\r\nHost: test\r\n");
  }
  std::string lines;
  for (int i = 0; i < 1000; ++i) lines += "X-Filler-" + std::to_string(i) + ": y\r\n";  // ~17 KB
  std::vector<int> status(clients.size(), 0);
  std::vector<size_t> lines_sent(clients.size(), 0);
  bool all_done = false;
  for (int round = 0; round < 1000 && !all_done; ++round) {  // up to 1,000,000 lines each
    all_done = true;
    for (size_t c = 0; c < clients.size(); ++c) {
      if (status[c] != 0) continue;
      const bool open = clients[c].Poll();
      if (clients[c].received().find("\r\n\r\n") != std::string::npos || !open) {
        status[c] = StatusOf(clients[c].received());
        if (status[c] == 0) status[c] = -1;  // closed without an answer
        continue;
      }
      all_done = false;
      if (clients[c].Send(lines, 200ms) == lines.size()) lines_sent[c] += 1000;
    }
  }
  for (size_t c = 0; c < clients.size(); ++c) {
    if (status[c] == 0) {  // every line went out: end the header and see what it answers
      clients[c].Send("\r\n");
      status[c] = StatusOf(clients[c].ReadResponse(10s));
    }
    EXPECT_TRUE(status[c] == 431 || status[c] == 400) << "client " << c << " got " << status[c] << " after "
                                                      << lines_sent[c] << " header lines";
    EXPECT_LT(lines_sent[c], 1000000u) << "client " << c;
  }
  EXPECT_LT(RssKiB() - rss_before, 64 * 1024) << "RSS grew with the header lines";
}

TEST(WebEngine, AcceptedSocketsHaveTcpNoDelay) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  LoopbackSocket client(server.ports()[0]);
  client.Send(Get("/-/healthy"));
  ASSERT_EQ(StatusOf(client.ReadResponse()), 200);
  const std::vector<bool> nodelay = gx::testing::AcceptedSocketsNoDelay(server.ports()[0]);
  ASSERT_EQ(nodelay.size(), 1u) << "the server's side of the connection was not found";
  EXPECT_TRUE(nodelay[0]) << "Nagle's algorithm delays small responses on a kept-alive connection";
}

TEST(WebEngine, DescriptorsAreFreedAfterConnectionsClose) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  const int baseline = gx::testing::OpenDescriptors();
  {
    std::vector<LoopbackSocket> clients;
    for (int i = 0; i < 300; ++i) clients.emplace_back(server.ports()[0]);
    for (int i = 0; i < 300; i += 2) {
      clients[i].Send(Get("/-/healthy"));
      EXPECT_EQ(StatusOf(clients[i].ReadResponse()), 200);
    }
  }
  EXPECT_TRUE(WaitFor([&] { return gx::testing::OpenDescriptors() <= baseline; }, 20s))
      << gx::testing::OpenDescriptors() << " descriptors open, " << baseline << " before";
}

TEST(WebEngine, ASocketThatCannotBeServedFailsTheStartAndNamesIt) {
  const auto opened = OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const ListenSocket good = *opened;
  ListenSocket bad;  // a descriptor that is not open: the acceptor cannot be assigned it
  bad.fd = 999'999;
  ASSERT_EQ(::fcntl(bad.fd, F_GETFD), -1);
  bad.bound = "[::]:9786 (IPv6 and IPv4)";
  HealthState health;
  WebEngine engine(WebLimits{}, nullptr, [](const WebRequest&, const WebPolicy&, WebAccess) { return WebReply{}; },
                   &health);
  EXPECT_EQ(engine.Start({good, bad}, false).error(),
            "cannot serve the listening socket [::]:9786 (IPv6 and IPv4) (file descriptor " + std::to_string(bad.fd) +
                "): Bad file descriptor");
  // Nothing is served, rather than fewer sockets than asked: the good one is closed too.
  EXPECT_EQ(::fcntl(good.fd, F_GETFD), -1);
  EXPECT_FALSE(LoopbackSocket(good.port).ok());
  EXPECT_FALSE(health.Read([](const HealthData& d) { return d.web.serving; }));
  engine.Stop();
}

// --- Limits, timeouts and counters (the engine's options) ----------------------------------

class WebEngineLimits : public ::testing::Test {
 protected:
  void Start(WebLimits limits, HttpHandlers handlers = Handlers()) {
    HttpServerOptions options;
    options.limits = limits;
    options.health = &health_;
    server_ = std::make_unique<HttpServer>("/metrics", std::move(handlers), options);
    const Status started = server_->Start({"127.0.0.1:0"});
    ASSERT_TRUE(started.ok()) << started.error();
    port_ = server_->ports()[0];
  }
  WebHealth Web() const {
    return health_.Read([](const HealthData& d) { return d.web; });
  }
  std::uint64_t Closed(const std::string& reason) const {
    const WebHealth w = Web();
    auto it = w.closed.find(reason);
    return it == w.closed.end() ? 0 : it->second;
  }
  std::uint64_t Rejected(const std::string& reason) const {
    const WebHealth w = Web();
    auto it = w.rejected.find(reason);
    return it == w.rejected.end() ? 0 : it->second;
  }
  // Every accepted connection is open or closed for one reason.
  void ExpectAccountedFor() const {
    const WebHealth w = Web();
    std::uint64_t closed = 0;
    for (const auto& [reason, n] : w.closed) closed += n;
    EXPECT_EQ(w.accepted, w.open + closed);
  }
  static WebLimits Short() {
    WebLimits l;
    l.header_timeout = 300 * kNanosPerMilli;
    l.read_timeout = 600 * kNanosPerMilli;
    l.idle_timeout = 300 * kNanosPerMilli;
    l.write_timeout = 300 * kNanosPerMilli;
    return l;
  }

  HealthState health_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(WebEngineLimits, ThousandIdleAndThousandSlowlorisStayOpenWhileAScrapeAnswers) {
  if (!EnoughDescriptors()) GTEST_SKIP() << "the open-file limit is below 5,000";
  WebLimits limits;
  limits.max_connections = 4096;            // all of them admitted: nothing is dropped to make room
  limits.header_timeout = 120 * kNanosPerSecond;  // and none times out while the test runs
  Start(limits);
  std::vector<LoopbackSocket> idle, slowloris;
  for (int i = 0; i < 1000; ++i) idle.emplace_back(port_);
  for (int i = 0; i < 1000; ++i) {
    slowloris.emplace_back(port_);
    slowloris.back().Send("GET /metrics HTTP/1.1\r\nX-Slow: ");
  }
  ASSERT_TRUE(WaitFor([&] { return Web().open == 2000; })) << Web().open;
  for (auto& s : slowloris) s.Send("a");
  EXPECT_EQ(Scrape(port_), 200);
  EXPECT_TRUE(WaitFor([&] { return Web().open == 2000; })) << Web().open;  // the scrape's own has closed
  EXPECT_EQ(Closed("evicted"), 0u);
  idle.clear();
  slowloris.clear();
  EXPECT_TRUE(WaitFor([&] { return Web().open == 0; })) << Web().open;
  EXPECT_EQ(Closed("client"), 2000u);
  EXPECT_EQ(Closed("done"), 1u);  // the scrape's client asked for Connection: close
  ExpectAccountedFor();
}

TEST_F(WebEngineLimits, AtTheCapTheOldestIdleConnectionIsDroppedFirst) {
  WebLimits limits;
  limits.max_connections = 3;
  Start(limits);
  LoopbackSocket never_asked(port_);  // idle since it connected
  ASSERT_TRUE(WaitFor([&] { return Web().open == 1; }));
  LoopbackSocket kept_alive(port_);  // idle since its first response
  kept_alive.Send(Get("/-/healthy"));
  ASSERT_EQ(StatusOf(kept_alive.ReadResponse()), 200);
  LoopbackSocket slow(port_);  // reading a request
  slow.Send("GET /metrics HTTP/1.1\r\n");
  ASSERT_TRUE(WaitFor([&] { return Web().open == 3; }));

  LoopbackSocket fourth(port_);
  EXPECT_TRUE(never_asked.WaitClosed()) << "the connection idle longest goes first";
  fourth.Send(Get("/-/healthy"));
  EXPECT_EQ(StatusOf(fourth.ReadResponse()), 200);
  LoopbackSocket fifth(port_);
  EXPECT_TRUE(kept_alive.WaitClosed());
  fifth.Send(Get("/-/healthy"));
  EXPECT_EQ(StatusOf(fifth.ReadResponse()), 200);
  // Idle now: `fourth` (since its response) goes before `slow`, which is reading.
  LoopbackSocket sixth(port_);
  EXPECT_TRUE(fourth.WaitClosed());
  EXPECT_TRUE(slow.Poll()) << "a connection reading a request goes only after every idle one";
  EXPECT_TRUE(WaitFor([&] { return Closed("evicted") == 3; })) << Closed("evicted");
  EXPECT_EQ(Web().open, 3u);
  ExpectAccountedFor();
}

TEST_F(WebEngineLimits, AtTheCapWithEveryConnectionAnsweringANewOneIsRefused) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> in_handler{0};
  WebLimits limits;
  limits.max_connections = 2;
  Start(limits, Handlers([&] {
          ++in_handler;
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return release; });
          return std::string("genesys_up 1\n");
        }));
  LoopbackSocket a(port_), b(port_);
  a.Send(Get("/metrics"));
  b.Send(Get("/metrics"));
  ASSERT_TRUE(WaitFor([&] { return in_handler.load() == 2; }));
  LoopbackSocket refused(port_);
  EXPECT_TRUE(refused.WaitClosed());
  EXPECT_EQ(Rejected("max_connections"), 1u);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  EXPECT_EQ(StatusOf(a.ReadResponse()), 200);
  EXPECT_EQ(StatusOf(b.ReadResponse()), 200);
  ExpectAccountedFor();
}

TEST_F(WebEngineLimits, AtTheCapAClientThatDoesNotReadItsResponseMakesRoomForAScrape) {
  WebLimits limits;
  limits.max_connections = 3;
  const std::string big(8 << 20, 'x');  // more than the socket buffers between them hold
  std::atomic<int> answered{0};
  Start(limits, Handlers([&] {
          ++answered;
          return big;
        }));
  std::vector<LoopbackSocket> not_reading;
  for (int i = 0; i < 3; ++i) {
    not_reading.emplace_back(port_);
    const int small = 4096;  // and no autotuning: the server's write blocks soon
    ::setsockopt(not_reading.back().fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    not_reading.back().Send(Get("/metrics"));
  }
  ASSERT_TRUE(WaitFor([&] { return answered == 3; }));
  // Every slot holds a response nobody reads (for up to the 60 s write timeout): a real
  // scrape still gets in, in place of one of them.
  EXPECT_TRUE(WaitFor([&] { return Scrape(port_) == 200; })) << "refused: " << Rejected("max_connections");
  EXPECT_GE(Closed("evicted"), 1u);  // which writer went first: ConnectionTable's test
  ExpectAccountedFor();
}

TEST_F(WebEngineLimits, HeaderTimeoutClosesATricklingClient) {
  Start(Short());
  LoopbackSocket slow(port_);
  slow.Send("GET /metrics HTTP/1.1\r\n");
  bool closed = false;
  for (int i = 0; i < 200 && !closed; ++i) {  // a byte every 50 ms: each read succeeds, the header never ends
    slow.Send("X");
    closed = !slow.Poll(50ms);
  }
  EXPECT_TRUE(closed || slow.WaitClosed(1s));
  EXPECT_TRUE(WaitFor([&] { return Closed("header_timeout") == 1; }));
}

TEST_F(WebEngineLimits, SilentNewConnectionGetsTheHeaderTimeout) {
  Start(Short());
  LoopbackSocket silent(port_);
  EXPECT_TRUE(silent.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("header_timeout") == 1; }));
}

TEST_F(WebEngineLimits, KeptAliveConnectionClosesAfterTheIdleTimeout) {
  Start(Short());
  LoopbackSocket client(port_);
  client.Send(Get("/-/healthy"));
  ASSERT_EQ(StatusOf(client.ReadResponse()), 200);
  client.Send(Get("/-/healthy"));  // the same connection serves a second request
  ASSERT_EQ(StatusOf(client.ReadResponse()), 200);
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("idle_timeout") == 1; }));
}

TEST_F(WebEngineLimits, BodyThatTricklesGetsTheRequestTimeout) {
  Start(Short());
  LoopbackSocket client(port_);
  client.Send("POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("request_timeout") == 1; }));
}

TEST_F(WebEngineLimits, ClientThatDoesNotReadGetsTheWriteTimeout) {
  const std::string big(64 << 20, 'x');  // more than the socket buffers hold
  Start(Short(), Handlers([&] { return big; }));
  LoopbackSocket client(port_);
  client.Send(Get("/metrics"));  // and never read
  EXPECT_TRUE(WaitFor([&] { return Closed("write_timeout") == 1; }, 20s));
}

TEST_F(WebEngineLimits, ChunkedBodyOverTheLimitIs413) {
  WebLimits limits;
  limits.max_body_bytes = 1000;
  Start(limits);
  LoopbackSocket client(port_);
  client.Send("POST /metrics HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; ++i) client.Send("200\r\n" + std::string(0x200, 'b') + "\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 413);
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("body_limit") == 1; }));
}

TEST_F(WebEngineLimits, SmallBodyIsReadAndTheConnectionKeptAlive) {
  Start(WebLimits{});
  LoopbackSocket client(port_);
  client.Send("POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 405);
  client.Send(Get("/-/healthy"));
  EXPECT_EQ(StatusOf(client.ReadResponse()), 200);
}

TEST_F(WebEngineLimits, TooManyHeaderFieldsIs431) {
  WebLimits limits;
  limits.max_header_fields = 10;
  Start(limits);
  LoopbackSocket client(port_);
  std::string request = "GET /metrics HTTP/1.1\r\n";
  for (int i = 0; i < 11; ++i) request += "X-" + std::to_string(i) + ": v\r\n";
  client.Send(request + "\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 431);
  EXPECT_TRUE(WaitFor([&] { return Closed("header_limit") == 1; }));
}

TEST_F(WebEngineLimits, NotHttpIs400) {
  Start(WebLimits{});
  LoopbackSocket client(port_);
  client.Send("HELLO\r\n\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 400);
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("malformed") == 1; }));
}

TEST_F(WebEngineLimits, PipelinedRequestsAreAnsweredInOrder) {
  Start(WebLimits{});
  LoopbackSocket client(port_);
  client.Send(Get("/-/healthy") + Get("/nope") + Get("/-/ready"));
  EXPECT_EQ(StatusOf(client.ReadResponse()), 200);
  EXPECT_EQ(StatusOf(client.ReadResponse()), 404);
  EXPECT_EQ(StatusOf(client.ReadResponse()), 200);
}

TEST_F(WebEngineLimits, Http10ClosesAfterTheResponse) {
  Start(WebLimits{});
  LoopbackSocket client(port_);
  client.Send("GET /-/healthy HTTP/1.0\r\n\r\n");
  const std::string response = client.ReadResponse();
  EXPECT_EQ(response.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << response;
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitFor([&] { return Closed("done") == 1; }));
}

TEST_F(WebEngineLimits, StopClosesOpenConnections) {
  Start(WebLimits{});
  LoopbackSocket client(port_);
  ASSERT_TRUE(WaitFor([&] { return Web().open == 1; }));
  server_->Stop();
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(Closed("shutdown"), 1u);
  ExpectAccountedFor();
}

}  // namespace
}  // namespace gx
