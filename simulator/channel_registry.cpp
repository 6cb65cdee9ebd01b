#include "simulator/channel_registry.h"

#include <algorithm>
#include <random>

#include "simulator/json_writer.h"
#include "simulator/org.h"
#include "exporter/util/time_math.h"

namespace gx::sim {
namespace {

std::string NewCorrelationId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return MakeId(rng);
}

}  // namespace

Status CheckChannelLifetime(double seconds) {
  if (!(seconds > 0 && seconds <= kMaxChannelLifetimeS)) return Status::Error("must be > 0 and at most 172800 s (48 h)");
  return Status::Ok();
}

std::string ChannelRegistry::Envelope(const std::string& topic, const std::string& body) {
  JsonWriter w;
  w.BeginObject().Str("topicName", topic).Str("version", "2").Key("eventBody").Raw(body);
  w.Key("metadata").BeginObject().Str("CorrelationId", NewCorrelationId()).EndObject();
  w.EndObject();
  return w.Take();
}

std::string ChannelRegistry::Heartbeat() {
  return R"({"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}})";
}

std::string ChannelRegistry::Pong() {
  return R"({"topicName":"channel.metadata","eventBody":{"message":"pong"}})";
}

std::string ChannelRegistry::SocketClosing() {
  JsonWriter body;
  body.BeginObject().Str("message", "WebSocket is closing").Nil("channelId").EndObject();
  return Envelope("v2.system.socket_closing", body.Take());
}

ChannelInfo ChannelRegistry::Create(const std::string& token, const std::string& client_id,
                                    UnixNanos now, double lifetime_s) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::shared_ptr<ChannelConnection> evicted;
  ChannelInfo info;
  {
    std::lock_guard lock(mu_);
    int count = 0;
    for (const auto& c : channels_) count += c.info.client_id == client_id;
    if (count >= max_channels_) {
      // Oldest channel without a connection first, else the oldest.
      auto victim = std::find_if(channels_.begin(), channels_.end(), [&](const Channel& c) {
        return c.info.client_id == client_id && !c.conn;
      });
      if (victim == channels_.end()) {
        victim = std::find_if(channels_.begin(), channels_.end(),
                              [&](const Channel& c) { return c.info.client_id == client_id; });
      }
      evicted = victim->conn;
      channels_.erase(victim);
    }
    Channel c;
    c.info.id = "streaming-0-" + MakeId(rng).substr(0, 8) + std::to_string(++counter_);
    c.info.token = token;
    c.info.client_id = client_id;
    c.info.created = now;
    c.info.expires = SaturatingAdd(now, SecondsToNanos(lifetime_s));
    c.info.reported_expires = reported_expires_;
    info = c.info;
    channels_.push_back(std::move(c));
  }
  if (evicted) evicted->Close();
  return info;
}

std::optional<ChannelInfo> ChannelRegistry::Get(const std::string& id, UnixNanos now) const {
  std::lock_guard lock(mu_);
  for (const auto& c : channels_) {
    if (c.info.id == id && now < c.info.expires) {
      ChannelInfo i = c.info;
      i.connected = c.conn != nullptr;
      return i;
    }
  }
  return std::nullopt;
}

std::vector<ChannelInfo> ChannelRegistry::ListForClient(const std::string& client_id,
                                                        const std::string& token, bool by_token,
                                                        UnixNanos now) const {
  std::lock_guard lock(mu_);
  std::vector<ChannelInfo> out;
  for (const auto& c : channels_) {
    if (now >= c.info.expires) continue;
    if (by_token ? c.info.token == token : c.info.client_id == client_id) {
      out.push_back(c.info);
      out.back().connected = c.conn != nullptr;
    }
  }
  return out;
}

std::vector<ChannelInfo> ChannelRegistry::All() const {
  std::lock_guard lock(mu_);
  std::vector<ChannelInfo> out;
  for (const auto& c : channels_) {
    out.push_back(c.info);
    out.back().connected = c.conn != nullptr;
  }
  return out;
}

std::optional<SubscribeResult> ChannelRegistry::Subscribe(const std::string& id,
                                                          const std::vector<std::string>& topics,
                                                          bool replace, UnixNanos now) {
  std::lock_guard lock(mu_);
  for (auto& c : channels_) {
    if (c.info.id != id || now >= c.info.expires) continue;
    std::vector<std::string> next = replace ? std::vector<std::string>{} : c.info.topics;
    std::set<std::string> seen = replace ? std::set<std::string>{} : c.topic_set;
    for (const auto& t : topics) {
      if (seen.insert(t).second) next.push_back(t);
    }
    SubscribeResult r;
    if (static_cast<int>(next.size()) > max_topics_) {
      r.ok = false;
      r.error = "Only " + std::to_string(max_topics_) + " topics are allowed per channel; " +
                std::to_string(next.size()) + " were requested";
      return r;
    }
    c.info.topics = next;
    c.topic_set = seen;
    r.topics = next;
    return r;
  }
  return std::nullopt;
}

bool ChannelRegistry::ClearTopics(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto& c : channels_) {
    if (c.info.id == id) {
      c.info.topics.clear();
      c.topic_set.clear();
      return true;
    }
  }
  return false;
}

bool ChannelRegistry::Attach(const std::string& id, std::shared_ptr<ChannelConnection> conn,
                             UnixNanos now, std::shared_ptr<ChannelConnection>* previous) {
  std::lock_guard lock(mu_);
  for (auto& c : channels_) {
    if (c.info.id != id || now >= c.info.expires) continue;
    if (previous) *previous = c.conn;
    c.conn = std::move(conn);
    c.next_heartbeat = 0;
    return true;
  }
  return false;
}

void ChannelRegistry::Detach(const std::string& id, const ChannelConnection* conn) {
  std::lock_guard lock(mu_);
  for (auto& c : channels_) {
    if (c.info.id == id && c.conn.get() == conn) c.conn.reset();
  }
}

int ChannelRegistry::Publish(const std::string& topic, const std::string& body) {
  std::vector<std::shared_ptr<ChannelConnection>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& c : channels_) {
      if (c.conn && c.topic_set.count(topic)) targets.push_back(c.conn);
    }
  }
  if (targets.empty()) return 0;
  // Each channel gets its own correlation id, as separate deliveries would.
  for (auto& t : targets) t->Send(Envelope(topic, body));
  return static_cast<int>(targets.size());
}

int ChannelRegistry::SendSocketClosing(bool then_close) {
  std::vector<std::shared_ptr<ChannelConnection>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& c : channels_) {
      if (c.conn) targets.push_back(c.conn);
    }
  }
  for (auto& t : targets) {
    t->Send(SocketClosing());
    if (then_close) t->Close();
  }
  return static_cast<int>(targets.size());
}

int ChannelRegistry::DropAll() {
  std::vector<std::shared_ptr<ChannelConnection>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto& c : channels_) {
      if (c.conn) targets.push_back(std::move(c.conn));
      c.conn.reset();
    }
  }
  for (auto& t : targets) t->Drop();
  return static_cast<int>(targets.size());
}

std::vector<std::shared_ptr<ChannelConnection>> ChannelRegistry::Connections() const {
  std::vector<std::shared_ptr<ChannelConnection>> out;
  std::lock_guard lock(mu_);
  for (const auto& c : channels_) {
    if (c.conn) out.push_back(c.conn);
  }
  return out;
}

int ChannelRegistry::CloseAll() {
  std::vector<std::shared_ptr<ChannelConnection>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto& c : channels_) {
      if (c.conn) targets.push_back(std::move(c.conn));
      c.conn.reset();
    }
  }
  for (auto& t : targets) t->Close();
  return static_cast<int>(targets.size());
}

int ChannelRegistry::Tick(UnixNanos now, double interval_s, bool enabled) {
  std::vector<std::shared_ptr<ChannelConnection>> beat, expire;
  {
    std::lock_guard lock(mu_);
    for (auto& c : channels_) {
      if (!c.conn) continue;
      if (now >= c.info.expires) {
        expire.push_back(std::move(c.conn));
        c.conn.reset();
        continue;
      }
      if (!enabled || interval_s <= 0) continue;
      if (c.next_heartbeat == 0) {
        c.next_heartbeat = SaturatingAdd(now, SecondsToNanos(interval_s));
      } else if (now >= c.next_heartbeat) {
        beat.push_back(c.conn);
        c.next_heartbeat = SaturatingAdd(now, SecondsToNanos(interval_s));
      }
    }
    channels_.erase(std::remove_if(channels_.begin(), channels_.end(),
                                   [now](const Channel& c) { return now >= c.info.expires; }),
                    channels_.end());
  }
  for (auto& b : beat) b->Send(Heartbeat());
  for (auto& e : expire) {
    e->Send(SocketClosing());
    e->Close();
  }
  return static_cast<int>(beat.size());
}

int ChannelRegistry::RemoveForTokens(const std::vector<std::string>& tokens) {
  std::set<std::string> set(tokens.begin(), tokens.end());
  std::vector<std::shared_ptr<ChannelConnection>> closing;
  int removed = 0;
  {
    std::lock_guard lock(mu_);
    for (auto it = channels_.begin(); it != channels_.end();) {
      if (set.count(it->info.token)) {
        if (it->conn) closing.push_back(it->conn);
        it = channels_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
  }
  for (auto& c : closing) c->Close();
  return removed;
}

void ChannelRegistry::SetLifetimeForAll(UnixNanos now, double lifetime_s) {
  std::lock_guard lock(mu_);
  for (auto& c : channels_) c.info.expires = SaturatingAdd(now, SecondsToNanos(lifetime_s));
}

void ChannelRegistry::SetReportedExpires(std::string text) {
  std::lock_guard lock(mu_);
  reported_expires_ = std::move(text);
}

int ChannelRegistry::connected_count() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& c : channels_) n += c.conn != nullptr;
  return n;
}

}  // namespace gx::sim
