#include "exporter/genesys/parse/json_read.h"

#include <cmath>

#include "exporter/util/iso_time.h"

namespace gx::json {

Status Document::Parse(std::string_view body, std::size_t max_bytes, std::string_view what) {
  if (body.size() > max_bytes) {
    return Status::Error(std::string(what) + ": body of " + std::to_string(body.size()) +
                              " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer.
  padded_ = simdjson::padded_string(body);
  auto result = parser_.parse(padded_);
  if (result.error()) {
    return Status::Error(std::string(what) + ": invalid JSON (" +
                              simdjson::error_message(result.error()) + ")");
  }
  root_ = result.value_unsafe();
  return Status::Ok();
}

std::optional<element> Field(element parent, std::string_view key) {
  if (!parent.is_object()) return std::nullopt;
  auto r = parent[key];
  if (r.error()) return std::nullopt;
  element e = r.value_unsafe();
  if (e.is_null()) return std::nullopt;
  return e;
}

std::optional<object> Obj(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e || !e->is_object()) return std::nullopt;
  return object(e->get_object().value_unsafe());
}

std::optional<array> Arr(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e || !e->is_array()) return std::nullopt;
  return array(e->get_array().value_unsafe());
}

std::string_view Str(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e || !e->is_string()) return {};
  return e->get_string().value_unsafe();
}

std::optional<bool> Bool(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e || !e->is_bool()) return std::nullopt;
  return e->get_bool().value_unsafe();
}

std::optional<std::int64_t> Int(element parent, std::string_view key) {
  auto e = Field(parent, key);
  if (!e) return std::nullopt;
  if (e->is_int64()) return e->get_int64().value_unsafe();
  if (e->is_uint64()) {
    const std::uint64_t u = e->get_uint64().value_unsafe();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (e->is_double()) {
    const double d = e->get_double().value_unsafe();
    // Some serializers write integers as 3.0; anything fractional or huge is not a count.
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<UnixNanos> Time(element parent, std::string_view key) {
  std::string_view s = Str(parent, key);
  if (s.empty()) return std::nullopt;
  return ParseIsoTime(s);
}

EntityRef Ref(element parent, std::string_view key) {
  EntityRef ref;
  auto e = Field(parent, key);
  if (!e || !e->is_object()) return ref;
  ref.id = Str(*e, "id");
  ref.name = Str(*e, "name");
  return ref;
}

}  // namespace gx::json
