// The durable on-disk queue of one receiver endpoint: one file per notification,
// written to a temp name, fsynced and renamed, so a notification that Append()
// accepted survives kill -9 and is delivered after a restart (at least once).
// Not thread-safe: the dispatcher guards each spool with its endpoint's mutex.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "exporter/util/clock.h"

namespace gx {

struct SpoolItem {
  std::uint64_t seq = 0;
  std::string id;          // webhook-id: the idempotency key, the same on every retry
  UnixNanos created = 0;
  std::string kind;        // "notification", "alerts", or "alerts-full" (superseded by a newer one)
  std::string body;
  std::uint64_t bytes() const { return body.size() + id.size() + kind.size() + 64; }
};

class WebhookSpool {
 public:
  // Creates `dir` if needed and loads what an earlier run left, oldest first.
  // `error` is set when the directory cannot be used.
  WebhookSpool(std::string dir, std::uint64_t max_bytes);

  const std::string& error() const { return error_; }
  // Persists the item (seq assigned here). False when the spool is full or the write
  // failed; `why` says which.
  bool Append(SpoolItem& item, std::string* why);
  void Remove(const SpoolItem& item);
  std::deque<SpoolItem>& items() { return items_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string PathOf(std::uint64_t seq) const;

  std::string dir_;
  std::uint64_t max_bytes_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t bytes_ = 0;
  std::deque<SpoolItem> items_;
  std::string error_;
};

// Appends one JSON line to `path` and fsyncs it. Returns an error text or "".
std::string AppendLineDurably(const std::string& path, const std::string& line);

}  // namespace gx
