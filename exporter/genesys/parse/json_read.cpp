#include "exporter/genesys/parse/json_read.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "exporter/util/iso_time.h"

namespace gx::json {

namespace {

std::vector<std::unique_ptr<simdjson::dom::parser>>& Spares() {
  thread_local std::vector<std::unique_ptr<simdjson::dom::parser>> spares;
  return spares;
}

}  // namespace

Document::Document() {
  auto& spares = Spares();
  if (spares.empty()) {
    parser_ = std::make_unique<simdjson::dom::parser>();
  } else {
    parser_ = std::move(spares.back());
    spares.pop_back();
  }
}

Document::~Document() {
  auto& spares = Spares();
  if (parser_->capacity() <= kSpareCapacity && spares.size() < kSpareParsers) spares.push_back(std::move(parser_));
}

std::size_t Document::SpareCount() { return Spares().size(); }

Status Document::Parse(std::string_view body, std::size_t max_bytes, std::string_view what) {
  if (body.size() > max_bytes) {
    return Status::Error(std::string(what) + ": body of " + std::to_string(body.size()) +
                              " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  // Grown in powers of two, so that frames of slowly growing sizes do not reallocate each time.
  if (parser_->capacity() < body.size()) {
    if (auto err = parser_->allocate(std::bit_ceil(std::max<std::size_t>(body.size(), 4096))); err) {
      return Status::Error(std::string(what) + ": " + simdjson::error_message(err));
    }
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: it copies the body into
  // the parser's own padded buffer (kept with the parser, like its tape).
  auto result = parser_->parse(body.data(), body.size(), true);
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
  ref.id = AtomStr(*e, "id");
  ref.name = AtomStr(*e, "name");
  return ref;
}

}  // namespace gx::json
