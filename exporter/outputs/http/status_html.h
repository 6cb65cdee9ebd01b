// The status page's building blocks: its inline style sheet, the colour of a level, badges,
// "12 min ago", and a table that writes at most so many rows (worst first). Cells are HTML
// that the caller escaped (util/html_escape.h). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/outputs/http/status_verdict.h"
#include "exporter/util/clock.h"

namespace gx::status {

// Inline, so that the page needs nothing but itself (no CDN, no second request).
extern const char* const kStyle;

// The row and badge class of a level: "" (fine), "warn" or "bad".
const char* LevelClass(StatusLevel level);

// A coloured word, escaped; `neutral` (grey) for what is neither fine nor wrong ("pending").
std::string Badge(StatusLevel level, std::string_view text, bool neutral = false);

// snprintf of one number (the page's numbers are locale-free: nothing sets LC_NUMERIC).
std::string Format(const char* fmt, double value);

// "45 s", "12 min", "5 h", "3 d": how long, for people; negative is 0 s.
std::string Span(UnixNanos nanos);

// "<time datetime=ISO title=ISO>12 min ago</time>", "-" when unknown.
std::string Ago(std::optional<UnixNanos> at, UnixNanos now);

// <section id=ID><h2>TITLE</h2>BODY</section>; `title` and `body` are HTML.
std::string Section(const char* id, const std::string& title, const std::string& body);

// A muted paragraph; `html` is HTML.
std::string Note(const std::string& html);

// A table whose rows are added worst first; Render writes at most `max_rows` of them and
// says how many more there are.
class Table {
 public:
  explicit Table(std::vector<std::string> headings) : headings_(std::move(headings)) {}
  void Add(StatusLevel level, std::vector<std::string> cells) { rows_.push_back({level, std::move(cells)}); }
  bool empty() const { return rows_.empty(); }
  std::string Render(std::size_t max_rows) const;

 private:
  struct Row {
    StatusLevel level;
    std::vector<std::string> cells;
  };
  std::vector<std::string> headings_;
  std::vector<Row> rows_;
};

}  // namespace gx::status
