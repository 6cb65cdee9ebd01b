#include "exporter/outputs/http/web_engine.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <unordered_map>

#include "exporter/outputs/http/connection_table.h"
#include "exporter/outputs/http/web_request_parser.h"
#include "exporter/state/health_state.h"
#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"

namespace gx {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Phase = ConnectionTable::Phase;
using SteadyTime = std::chrono::steady_clock::time_point;

std::chrono::nanoseconds Span(UnixNanos n) { return std::chrono::nanoseconds(n); }

// A graceful close reads (and drops) what the client still sends for this long, and at most
// this much, so that it sees the response instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1 << 20;
// asio's transfer_all hands write_some at most 64 KiB at a time: a 7.9 MB /metrics body took
// 120 sendmsg calls, each with its wakeup and a rearm of the stream's timer. Up to this much
// per call (in as many buffers as asio gathers, 64) the kernel takes what the socket can hold.
constexpr std::size_t kWriteSomeBytes = 8 << 20;

// The completion condition of a response write: everything, in large steps.
struct TransferAllLarge {
  std::size_t operator()(const beast::error_code& ec, std::size_t) const { return ec ? 0 : kWriteSomeBytes; }
};

// After a failed accept (out of file descriptors, say), wait before the next one instead of
// spinning on the same error.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);

const std::shared_ptr<const WebPolicy>& PlainPolicy() {
  static const auto kPlain = std::make_shared<const WebPolicy>();
  return kPlain;
}

// When the policy cannot be had (the source threw or broke its contract): nobody is let in,
// rather than everybody.
const std::shared_ptr<const WebPolicy>& DenyingPolicy() {
  static const auto kDeny = [] {
    WebPolicy p;
    p.authorize = [](std::string_view) { return false; };
    return std::make_shared<const WebPolicy>(std::move(p));
  }();
  return kDeny;
}

// Whether `ec` means the client went away (rather than a fault worth its own reason).
bool ClientGone(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

// What a failed request read answers (status 0: nothing, just close), and the close reason.
struct ReadRefusal {
  int status = 0;
  const char* text = "";
  const char* reason = "client";
};

ReadRefusal RefusalFor(const beast::error_code& ec, const char* timeout_reason) {
  if (ec == beast::error::timeout) return {0, "", timeout_reason};
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return {431, "Request Header Fields Too Large\n", "header_limit"};
  }
  if (ec == http::error::body_limit) return {413, "Content Too Large\n", "body_limit"};
  if (ClientGone(ec)) return {0, "", "client"};
  if (ec == http::error::partial_message) return {0, "", "client"};
  if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
    return {400, "Bad Request\n", "malformed"};
  }
  return {0, "", "client"};
}

class Session {
 public:
  virtual ~Session() = default;
  virtual void Drop(const char* reason) = 0;
};

// What every connection shares: limits, policy, routes, the table and the two executors.
struct Core {
  Core(WebLimits l, WebPolicySource p, WebEngine::Answer a, HealthState* h)
      : limits(l), policy_source(std::move(p)), answer(std::move(a)), health(h), table(l.max_connections),
        workers(static_cast<std::size_t>(std::max(1, l.handler_threads))), auth(1) {}

  WebLimits limits;
  WebPolicySource policy_source;
  WebEngine::Answer answer;
  HealthState* health;
  bool tls = false;
  RateLimitedLog log;

  // Owned by the I/O thread once started.
  ConnectionTable table;
  std::unordered_map<ConnectionTable::Id, std::weak_ptr<Session>> sessions;
  ConnectionTable::Id next_id = 0;
  bool stopping = false;

  asio::thread_pool workers;
  asio::thread_pool auth;          // the uncached authorization checks (bcrypt), one at a time
  std::size_t auth_waiting = 0;    // queued or running there; I/O thread only
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::unique_ptr<asio::steady_timer>> backoffs;
  std::thread io_thread;
  bool started = false;

  std::shared_ptr<const WebPolicy> Policy() {
    if (!policy_source) return PlainPolicy();
    try {
      if (auto p = policy_source()) return p;
      log.Error("web policy", "web server: the web configuration gave no policy; refusing requests");
    } catch (const std::exception& ex) {
      log.Error("web policy", "web server: the web configuration failed; refusing requests", {{"err", ex.what()}});
    }
    return DenyingPolicy();
  }

  template <typename Fn>
  void Count(Fn&& fn) {
    if (health) health->Update([&](HealthData& d) { fn(d.web); });
  }
  void Closed(ConnectionTable::Id id, const char* reason) {
    table.Remove(id);
    sessions.erase(id);
    Count([&](WebHealth& w) {
      --w.open;
      ++w.closed[reason];
    });
  }

  void Accept(std::size_t index);
  void Admit(tcp::socket socket);
};

template <class Stream>
class Connection final : public Session, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  template <typename... StreamArgs>
  Connection(Core& e, ConnectionTable::Id id, std::shared_ptr<const WebPolicy> policy,
             StreamArgs&&... args)
      : e_(e), id_(id), policy_(std::move(policy)), stream_(std::forward<StreamArgs>(args)...),
        buffer_(e.limits.max_header_bytes + 16 * 1024) {}

  void Start() {
    accepted_at_ = std::chrono::steady_clock::now();
    Lowest().expires_at(accepted_at_ + Span(e_.limits.header_timeout));
    if constexpr (kTls) {
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (self->closed_) return;
        if (ec) return self->Close(ec == beast::error::timeout ? "header_timeout" : "tls_handshake");
        self->ReadRequest();
      });
    } else {
      ReadRequest();
    }
  }

  void Drop(const char* reason) override { Close(reason); }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits for the first byte of the next request: until then the connection is idle.
  void ReadRequest() {
    e_.table.Set(id_, Phase::kWaiting);
    parser_.emplace(e_.limits.max_header_bytes, e_.limits.max_header_fields, e_.limits.max_body_bytes);
    must_close_ = false;
    if (buffer_.size() > 0) return ReadHeader();  // pipelined
    Lowest().expires_at(fresh_ ? accepted_at_ + Span(e_.limits.header_timeout)
                               : std::chrono::steady_clock::now() + Span(e_.limits.idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec,
                                                                                     std::size_t n) {
      if (self->closed_) return;
      if (ec) return self->Close(RefusalFor(ec, self->fresh_ ? "header_timeout" : "idle_timeout").reason);
      self->buffer_.commit(n);
      self->ReadHeader();
    });
  }

  void ReadHeader() {
    e_.table.Set(id_, Phase::kReading);
    first_byte_at_ = std::chrono::steady_clock::now();
    const SteadyTime from = fresh_ ? accepted_at_ : first_byte_at_;
    Lowest().expires_at(from + Span(std::min(e_.limits.header_timeout, e_.limits.read_timeout)));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (self->closed_) return;
                              if (ec) return self->Refuse(RefusalFor(ec, "header_timeout"));
                              self->OnHeader();
                            });
  }

  void OnHeader() {
    if (parser_->is_done()) return Dispatch();
    if (parser_->expects_continue()) {
      // Only a route that takes a body would say "100 Continue": answer now, without the body.
      must_close_ = true;
      return Dispatch();
    }
    Lowest().expires_at(first_byte_at_ + Span(e_.limits.read_timeout));
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->closed_) return;
      if (ec) return self->Refuse(RefusalFor(ec, "request_timeout"));
      self->Dispatch();
    });
  }

  // Authorization first: a quick check (cached, or no credentials) at once, any other on the auth
  // thread, during which the connection may be evicted as one reading a request; then the
  // handler on a worker, and the reply back on the I/O thread.
  void Dispatch() {
    keep_alive_ = parser_->keep_alive() && !must_close_;
    auto request = std::make_shared<WebRequest>(parser_->Take());
    parser_.reset();
    version_ = request->version;
    Lowest().expires_never();
    auto policy = e_.Policy();
    if (!policy->authorize) return Answer(std::move(request), std::move(policy), WebAccess::kAllowed);
    const std::string_view authorization = request->Field("authorization");
    if (policy->quick_check) {
      if (const std::optional<bool> quick = policy->quick_check(authorization)) {
        return Answer(std::move(request), std::move(policy), *quick ? WebAccess::kAllowed : WebAccess::kDenied);
      }
    }
    if (e_.auth_waiting >= e_.limits.max_auth_waiting) {
      e_.log.Warn("web auth busy", "web server: too many authorization checks are waiting already; answering 503",
                  {{"waiting", e_.auth_waiting}});
      return Answer(std::move(request), std::move(policy), WebAccess::kBusy);
    }
    ++e_.auth_waiting;
    e_.table.Set(id_, Phase::kReading);
    asio::post(e_.auth, [self = this->shared_from_this(), request, policy]() mutable {
      WebAccess access = WebAccess::kDenied;
      if (!self->gone_) {  // an evicted or closed connection's check is not run
        try {
          access = policy->authorize(request->Field("authorization")) ? WebAccess::kAllowed : WebAccess::kDenied;
        } catch (const std::exception& ex) {
          self->e_.log.Error("web auth", "web authorization failed", {{"err", ex.what()}});
        }
      }
      asio::post(self->e_.ioc, [self, request = std::move(request), policy = std::move(policy), access]() mutable {
        --self->e_.auth_waiting;
        if (!self->closed_) self->Answer(std::move(request), std::move(policy), access);
      });
    });
  }

  // The handler runs on a worker; the reply comes back to the I/O thread.
  void Answer(std::shared_ptr<WebRequest> request, std::shared_ptr<const WebPolicy> policy, WebAccess access) {
    e_.table.Set(id_, Phase::kAnswering);
    asio::post(e_.workers, [self = this->shared_from_this(), request = std::move(request), policy = std::move(policy),
                            access] {
      WebReply reply;
      try {
        reply = self->e_.answer(*request, *policy, access);
      } catch (const std::exception& ex) {
        self->e_.log.Error("web handler", "web handler failed", {{"err", ex.what()}});
        reply = PlainReply(500, "Internal Server Error\n", *policy);
      }
      asio::post(self->e_.ioc, [self, reply = std::move(reply)]() mutable { self->Write(std::move(reply)); });
    });
  }

  // A request that cannot be served: answered (when there is an answer) and closed.
  void Refuse(const ReadRefusal& refusal) {
    if (refusal.status == 0) return Close(refusal.reason);
    keep_alive_ = false;
    close_reason_ = refusal.reason;
    Write(PlainReply(refusal.status, refusal.text, *e_.Policy()));
  }

  void Write(WebReply reply) {
    if (closed_) return;
    // A client that does not read its response holds a slot for the write timeout: at the cap
    // it may be dropped for a new connection, after every idle and reading one.
    e_.table.Set(id_, Phase::kWriting);
    reply_ = std::move(reply);
    head_ = SerializeReplyHead(reply_, version_, keep_alive_);
    std::vector<asio::const_buffer> buffers = {asio::buffer(head_)};
    if (!reply_.head) {
      buffers.push_back(asio::buffer(reply_.body));
      for (const auto& part : reply_.parts) buffers.push_back(asio::buffer(*part));
    }
    Lowest().expires_after(Span(e_.limits.write_timeout));
    asio::async_write(stream_, buffers, TransferAllLarge{}, [self = this->shared_from_this()](beast::error_code ec,
                                                                                              std::size_t) {
      if (self->closed_) return;
      if (ec) return self->Close(ec == beast::error::timeout ? "write_timeout" : "client");
      self->reply_ = WebReply();
      self->head_.clear();
      if (!self->keep_alive_) return self->Linger();
      self->fresh_ = false;
      self->ReadRequest();
    });
  }

  // Ends the connection after its last response: TLS close_notify, or for plain TCP a
  // half-close and a bounded read of what the client still sends (an unread body).
  void Linger() {
    e_.table.Set(id_, Phase::kWaiting);
    Lowest().expires_after(kLingerTime);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        if (!self->closed_) self->Close(self->close_reason_);
      });
    } else {
      beast::error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      DrainThenClose();
    }
  }

  void DrainThenClose() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = this->shared_from_this()](beast::error_code ec,
                                                                                         std::size_t n) {
      if (self->closed_) return;
      self->drained_ += n;
      if (ec || self->drained_ >= kLingerBytes) return self->Close(self->close_reason_);
      self->DrainThenClose();
    });
  }

  void Close(const char* reason) {
    if (closed_) return;
    closed_ = true;
    gone_ = true;
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
    e_.Closed(id_, reason);
  }

  Core& e_;
  const ConnectionTable::Id id_;
  std::shared_ptr<const WebPolicy> policy_;  // keeps the TLS context of this connection alive
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<WebRequestParser> parser_;
  SteadyTime accepted_at_, first_byte_at_;
  bool fresh_ = true;  // no request served yet: the header deadline runs from the accept
  bool keep_alive_ = true;
  bool must_close_ = false;
  bool closed_ = false;
  std::atomic<bool> gone_{false};  // closed_, for the auth thread
  int version_ = 11;
  const char* close_reason_ = "done";
  std::string head_;
  WebReply reply_;
  std::size_t drained_ = 0;
};

}  // namespace

struct WebEngine::Impl : Core {
  using Core::Core;
};

void Core::Accept(std::size_t index) {
  acceptors[index]->async_accept(ioc, [this, index](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      Count([](WebHealth& w) { ++w.rejected["accept_error"]; });
      log.Error("web accept", "web server: accept failed", {{"err", ec.message()}});
      backoffs[index]->expires_after(kAcceptBackoff);
      backoffs[index]->async_wait([this, index](beast::error_code wait_ec) {
        if (!wait_ec && !stopping) Accept(index);
      });
      return;
    }
    Admit(std::move(socket));
    Accept(index);
  });
}

void Core::Admit(tcp::socket socket) {
  const ConnectionTable::Id id = ++next_id;
  const ConnectionTable::Admission admission = table.Admit(id);
  if (admission.evicted) {
    auto it = sessions.find(*admission.evicted);
    if (it != sessions.end()) {
      if (auto victim = it->second.lock()) victim->Drop("evicted");
    }
  }
  if (!admission.admitted) {
    Count([](WebHealth& w) { ++w.rejected["max_connections"]; });
    beast::error_code ec;
    socket.close(ec);
    return;
  }
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);  // small responses must not wait for a delayed ACK
  Count([](WebHealth& w) {
    ++w.accepted;
    ++w.open;
  });
  auto policy = Policy();
  std::shared_ptr<Session> session;
  if (tls) {
    if (!policy->tls) {
      log.Error("web tls", "web server: TLS is on, but the current web configuration has no TLS context");
      table.Remove(id);
      Count([](WebHealth& w) {
        --w.open;
        ++w.closed["tls_handshake"];
      });
      socket.close(ec);
      return;
    }
    auto context = policy->tls;
    auto c = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(*this, id, policy, std::move(socket),
                                                                                *context);
    session = c;
    sessions[id] = session;
    c->Start();
  } else {
    auto c = std::make_shared<Connection<beast::tcp_stream>>(*this, id, policy, std::move(socket));
    session = c;
    sessions[id] = session;
    c->Start();
  }
}

WebEngine::WebEngine(WebLimits limits, WebPolicySource policy, Answer answer, HealthState* health)
    : impl_(std::make_unique<Impl>(limits, std::move(policy), std::move(answer), health)) {}

WebEngine::~WebEngine() { Stop(); }

Status WebEngine::Start(std::vector<ListenSocket> sockets, bool tls) {
  Impl& e = *impl_;
  e.tls = tls;
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const ListenSocket& socket = sockets[i];
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(socket.fd, reinterpret_cast<sockaddr*>(&ss), &len);
    auto acceptor = std::make_unique<tcp::acceptor>(e.ioc);
    beast::error_code ec;
    acceptor->assign(ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), socket.fd, ec);
    if (ec) {
      // Serving fewer sockets than asked would look like success: none is served.
      e.acceptors.clear();  // closes the sockets assigned so far
      for (std::size_t j = i; j < sockets.size(); ++j) ::close(sockets[j].fd);
      return Status::Error("cannot serve the listening socket " +
                           (socket.bound.empty() ? std::string("?") : socket.bound) + " (file descriptor " +
                           std::to_string(socket.fd) + "): " + ec.message());
    }
    e.acceptors.push_back(std::move(acceptor));
    e.backoffs.push_back(std::make_unique<asio::steady_timer>(e.ioc));
  }
  e.Count([&](WebHealth& w) {
    w.serving = true;
    w.max_connections = e.limits.max_connections;
  });
  for (std::size_t i = 0; i < e.acceptors.size(); ++i) e.Accept(i);
  e.io_thread = std::thread([&e] {
    NameThisThread("gx-web-io");
    e.ioc.run();
  });
  e.started = true;
  return Status::Ok();
}

void WebEngine::Stop() {
  Impl& e = *impl_;
  if (!e.started) return;
  e.started = false;
  std::promise<void> closed;
  asio::post(e.ioc, [&e, &closed] {
    e.stopping = true;
    beast::error_code ec;
    for (auto& a : e.acceptors) a->close(ec);
    for (auto& t : e.backoffs) t->cancel();
    std::vector<std::shared_ptr<Session>> open;
    for (auto& [id, weak] : e.sessions) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
    for (auto& s : open) s->Drop("shutdown");
    closed.set_value();
  });
  closed.get_future().wait();
  e.auth.join();     // a running bcrypt ends; the queued checks of closed connections are skipped
  e.workers.join();  // running handlers finish; their replies find their connections closed
  e.work.reset();
  e.ioc.stop();
  e.io_thread.join();
}

}  // namespace gx
