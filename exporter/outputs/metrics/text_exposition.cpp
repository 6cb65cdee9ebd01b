#include "exporter/outputs/metrics/text_exposition.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace gx {
namespace {

// HELP text escapes backslash and newline; label values also escape the quote. Most values
// need none: they are appended whole.
void AppendEscaped(std::string& out, std::string_view s, bool quote) {
  if (s.find_first_of(quote ? std::string_view("\\\n\"") : std::string_view("\\\n")) == std::string_view::npos) {
    out.append(s);
    return;
  }
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out.push_back(c);
  }
}

}  // namespace

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
  }
}

void AppendUnsigned(std::string& out, std::uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void AppendLabelValue(std::string& out, std::string_view value) { AppendEscaped(out, value, true); }

void AppendFamilyHeader(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out.push_back(' ');
  AppendEscaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out.push_back(' ');
  out += type;
  out.push_back('\n');
}

namespace {

void AppendLabels(std::string& out, const std::vector<prometheus::ClientMetric::Label>& labels,
                  std::string_view extra_name = {}, double extra_value = 0) {
  if (labels.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (const auto& l : labels) {
    if (!first) out.push_back(',');
    first = false;
    out += l.name;
    out += "=\"";
    AppendEscaped(out, l.value, true);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    AppendNumber(out, extra_value);
    out.push_back('"');
  }
  out.push_back('}');
}

void AppendSample(std::string& out, const std::string& name, std::string_view suffix,
                  const prometheus::ClientMetric& m, double value, std::string_view extra_name = {},
                  double extra_value = 0) {
  out += name;
  out += suffix;
  AppendLabels(out, m.label, extra_name, extra_value);
  out.push_back(' ');
  AppendNumber(out, value);
  out.push_back('\n');
}

std::string_view TypeName(prometheus::MetricType t) {
  switch (t) {
    case prometheus::MetricType::Counter: return "counter";
    case prometheus::MetricType::Gauge: return "gauge";
    case prometheus::MetricType::Summary: return "summary";
    case prometheus::MetricType::Histogram: return "histogram";
    default: return "untyped";
  }
}

// `name_count{labels} n`: an integer, written exactly (a double would round past 2^53).
void AppendCount(std::string& out, const std::string& name, const prometheus::ClientMetric& m, std::uint64_t count) {
  out += name;
  out += "_count";
  AppendLabels(out, m.label);
  out.push_back(' ');
  AppendUnsigned(out, count);
  out.push_back('\n');
}

}  // namespace

void AppendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families) {
  for (const auto& f : families) {
    if (f.metric.empty()) continue;
    AppendFamilyHeader(out, f.name, f.help, TypeName(f.type));
    for (const auto& m : f.metric) {
      switch (f.type) {
        case prometheus::MetricType::Counter: AppendSample(out, f.name, "", m, m.counter.value); break;
        case prometheus::MetricType::Gauge: AppendSample(out, f.name, "", m, m.gauge.value); break;
        case prometheus::MetricType::Untyped: AppendSample(out, f.name, "", m, m.untyped.value); break;
        case prometheus::MetricType::Summary:
          for (const auto& q : m.summary.quantile) {
            AppendSample(out, f.name, "", m, q.value, "quantile", q.quantile);
          }
          AppendSample(out, f.name, "_sum", m, m.summary.sample_sum);
          AppendCount(out, f.name, m, m.summary.sample_count);
          break;
        case prometheus::MetricType::Histogram:
          for (const auto& b : m.histogram.bucket) {
            AppendSample(out, f.name, "_bucket", m, static_cast<double>(b.cumulative_count), "le", b.upper_bound);
          }
          AppendSample(out, f.name, "_sum", m, m.histogram.sample_sum);
          AppendCount(out, f.name, m, m.histogram.sample_count);
          break;
        default: break;
      }
    }
  }
}

std::string SerializeTextExposition(const std::vector<prometheus::MetricFamily>& families) {
  std::string out;
  std::size_t series = 0;
  for (const auto& f : families) series += f.metric.size();
  out.reserve(series * 96 + families.size() * 128);
  AppendFamilies(out, families);
  return out;
}

}  // namespace gx
