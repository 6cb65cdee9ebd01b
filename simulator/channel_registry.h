// Notification channels: creation (20 per client, the 21st replaces the oldest), topic
// subscriptions (max per channel), the one live WebSocket of each channel, event fan-out,
// heartbeats and expiry. Knows nothing of Beast: a connection is an abstract sink.
// Thread-safe (one mutex; sinks are called outside it).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx::sim {

// One WebSocket as the registry sees it. Implementations queue work on their own I/O thread.
class ChannelConnection {
 public:
  virtual ~ChannelConnection() = default;
  virtual void Send(std::string text) = 0;
  // Sends a close frame after everything queued so far.
  virtual void Close() = 0;
  // Closes the TCP socket with no close frame.
  virtual void Drop() = 0;
};

// Genesys channels live 24 h; the simulator accepts up to twice that (scenario and control API).
constexpr double kMaxChannelLifetimeS = 172800;
// Ok when `seconds` is a channel lifetime the simulator accepts, else why not.
Status CheckChannelLifetime(double seconds);
// Heartbeats: 0 sends none; more than an hour apart is not a heartbeat.
constexpr double kMaxHeartbeatIntervalS = 3600;

struct ChannelInfo {
  std::string id, token, client_id;
  UnixNanos created = 0, expires = 0;
  std::string reported_expires;  // what POST channels says instead of `expires`; empty: the truth
  std::vector<std::string> topics;
  bool connected = false;
};

struct SubscribeResult {
  bool ok = true;
  std::string error;  // when !ok: message for a 400
  std::vector<std::string> topics;
};

class ChannelRegistry {
 public:
  ChannelRegistry(int max_channels, int max_topics) : max_channels_(max_channels), max_topics_(max_topics) {}

  ChannelInfo Create(const std::string& token, const std::string& client_id, UnixNanos now,
                     double lifetime_s);
  std::optional<ChannelInfo> Get(const std::string& id, UnixNanos now) const;
  std::vector<ChannelInfo> ListForClient(const std::string& client_id, const std::string& token,
                                         bool by_token, UnixNanos now) const;
  std::vector<ChannelInfo> All() const;
  // replace: PUT semantics; else appended (POST). nullopt when the channel is unknown.
  std::optional<SubscribeResult> Subscribe(const std::string& id, const std::vector<std::string>& topics,
                                           bool replace, UnixNanos now);
  bool ClearTopics(const std::string& id);

  // Binds a new connection; the previous one (if any) is returned so the caller can drop it.
  // False when the channel does not exist or expired.
  bool Attach(const std::string& id, std::shared_ptr<ChannelConnection> conn, UnixNanos now,
              std::shared_ptr<ChannelConnection>* previous);
  void Detach(const std::string& id, const ChannelConnection* conn);

  // Delivers an event to every connected channel subscribed to `topic`. Returns deliveries.
  int Publish(const std::string& topic, const std::string& event_body_json);
  // v2.system.socket_closing to every connection (optionally then closes).
  int SendSocketClosing(bool then_close);
  int DropAll();
  // Close frame on every connection (a planned close).
  int CloseAll();
  // The live connections now (for closing just these later; issue 6).
  std::vector<std::shared_ptr<ChannelConnection>> Connections() const;
  // Sends due heartbeats; `interval_s` <= 0 or !enabled sends none.
  int Tick(UnixNanos now, double heartbeat_interval_s, bool heartbeats_enabled);
  // Removes the channels of these tokens and closes their sockets.
  int RemoveForTokens(const std::vector<std::string>& tokens);
  void SetLifetimeForAll(UnixNanos now, double lifetime_s);
  // A hostile service: new channels report this `expires` text (e.g. "9999-12-31T23:59:59Z")
  // while they still live their real lifetime. Empty reports the truth again.
  void SetReportedExpires(std::string text);
  int connected_count() const;

  static std::string Envelope(const std::string& topic, const std::string& event_body_json);
  static std::string Heartbeat();
  static std::string Pong();
  static std::string SocketClosing();

 private:
  struct Channel {
    ChannelInfo info;
    std::set<std::string> topic_set;
    std::shared_ptr<ChannelConnection> conn;
    UnixNanos next_heartbeat = 0;
    bool expiry_handled = false;
  };
  int max_channels_, max_topics_;
  mutable std::mutex mu_;
  std::vector<Channel> channels_;  // creation order
  unsigned long long counter_ = 0;
  std::string reported_expires_;
};

}  // namespace gx::sim
