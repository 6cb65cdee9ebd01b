// The Prometheus text exposition format 0.0.4: the primitives that write it straight into a
// buffer (the large families use them), and the writer for prometheus::MetricFamily values
// (every other family). One pass, std::to_chars for numbers, independent of the process
// locale. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace gx {

// A sample value: shortest round-trip decimal, NaN, +Inf, -Inf.
void AppendNumber(std::string& out, double v);
void AppendUnsigned(std::string& out, std::uint64_t v);
// A label value with backslash, newline and double quote escaped.
void AppendLabelValue(std::string& out, std::string_view value);
// "# HELP name help\n# TYPE name type\n"; `type` is "gauge", "counter", ...
void AppendFamilyHeader(std::string& out, std::string_view name, std::string_view help, std::string_view type);

// Appends every family that has series.
void AppendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families);
std::string SerializeTextExposition(const std::vector<prometheus::MetricFamily>& families);

}  // namespace gx
