// The queue of one receiver endpoint, kept durable on disk: one file per message,
// `<20-digit seq>.msg`, written to a temp name, fsynced and renamed, so a message
// that Append() made durable survives kill -9 and is delivered after a restart (at
// least once). When the folder cannot be written, messages are still queued, in
// memory only, within the same byte bound. Not thread-safe: the dispatcher guards each
// spool with its endpoint's mutex.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "exporter/state/health_state.h"  // the kDrop* reasons
#include "exporter/util/clock.h"
#include "exporter/util/result.h"

namespace gx {

struct SpoolItem {
  std::uint64_t seq = 0;
  std::string id;          // webhook-id: the idempotency key, the same on every retry
  UnixNanos created = 0;
  std::string kind;        // "notification", "alerts", or "alerts-full" and "watchdog" (superseded by a newer one)
  std::string body;
  bool durable = false;    // has a file; false: in memory only, lost on restart
  std::uint64_t bytes() const { return body.size() + id.size() + kind.size() + 64; }
};

enum class SpoolAppend {
  kDurable,     // queued and on disk
  kMemoryOnly,  // queued, but the write failed: lost if the process dies first
  kFull,        // refused: the queue holds max_bytes already
};

struct SpoolAppendResult {
  SpoolAppend outcome = SpoolAppend::kDurable;
  Status status;  // why the item is not durable or was refused; ok when durable
};

class WebhookSpool {
 public:
  // Creates `dir` (mode 0700, parents too) if needed and loads what an earlier run left,
  // oldest first. Stale temp files are removed; a file named with a non-canonical number
  // (`5.msg`) is renamed to its canonical name; anything else is moved aside and counted.
  WebhookSpool(std::string dir, std::uint64_t max_bytes);

  const std::string& dir() const { return dir_; }
  // Whether the folder can be written now: the last write's failure, ok while it can.
  const Status& status() const { return status_; }
  // Queues the item (seq assigned here).
  SpoolAppendResult Append(SpoolItem& item);
  // Takes the item off the queue and deletes its file. Fails when the file stays (it would
  // then be delivered again after a restart).
  Status Remove(const SpoolItem& item);
  std::deque<SpoolItem>& items() { return items_; }
  std::uint64_t bytes() const { return bytes_; }
  std::uint64_t memory_only() const { return memory_only_; }
  // Files found at load that could not be queued, by drop reason.
  const std::map<std::string, std::uint64_t>& load_drops() const { return load_drops_; }
  // The file of a sequence number: `<dir>/<20 digits>.msg`.
  std::string PathOf(std::uint64_t seq) const;

 private:
  void Load();
  void MoveAside(const std::string& name, const char* reason, const std::string& why);

  std::string dir_;
  std::uint64_t max_bytes_;
  bool dir_ready_ = false;   // exists and was loaded
  bool never_write_ = false;  // exists but could not be listed: writing could overwrite its files
  std::uint64_t next_seq_ = 1;
  std::uint64_t bytes_ = 0;
  std::uint64_t memory_only_ = 0;  // items without a file
  std::deque<SpoolItem> items_;
  Status status_;
  std::map<std::string, std::uint64_t> load_drops_;
};

}  // namespace gx
