// The simulator's JSON writer: the exporter's gx::JsonWriter plus the
// shorthands Genesys-shaped bodies use everywhere ("key": value members and
// entity references). Not thread-safe: one writer per response being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/util/json_writer.h"

namespace gx::sim {

class JsonWriter : public gx::JsonWriter {
 public:
  JsonWriter() { Reserve(1024); }

  // Same as the base, returning this type so that the shorthands chain.
  JsonWriter& BeginObject() { return Self(gx::JsonWriter::BeginObject()); }
  JsonWriter& EndObject() { return Self(gx::JsonWriter::EndObject()); }
  JsonWriter& BeginArray() { return Self(gx::JsonWriter::BeginArray()); }
  JsonWriter& EndArray() { return Self(gx::JsonWriter::EndArray()); }
  JsonWriter& Key(std::string_view k) { return Self(gx::JsonWriter::Key(k)); }
  JsonWriter& String(std::string_view v) { return Self(gx::JsonWriter::String(v)); }
  JsonWriter& Int(std::int64_t v) { return Self(gx::JsonWriter::Int(v)); }
  JsonWriter& Double(double v) { return Self(gx::JsonWriter::Number(v)); }
  JsonWriter& Bool(bool v) { return Self(gx::JsonWriter::Bool(v)); }
  JsonWriter& Null() { return Self(gx::JsonWriter::Null()); }
  JsonWriter& Raw(std::string_view json) { return Self(gx::JsonWriter::Raw(json)); }

  // Shorthands for "key": value members.
  JsonWriter& Str(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Num(std::string_view k, std::int64_t v) { return Key(k).Int(v); }
  JsonWriter& Dbl(std::string_view k, double v) { return Key(k).Double(v); }
  JsonWriter& Flag(std::string_view k, bool v) { return Key(k).Bool(v); }
  JsonWriter& Nil(std::string_view k) { return Key(k).Null(); }
  // {"id":..,"name":..,"selfUri":..}; the name and selfUri are left out when empty.
  JsonWriter& Ref(std::string_view k, std::string_view id, std::string_view name, std::string_view self_uri) {
    Key(k).BeginObject().Str("id", id);
    if (!name.empty()) Str("name", name);
    if (!self_uri.empty()) Str("selfUri", self_uri);
    return EndObject();
  }

 private:
  JsonWriter& Self(gx::JsonWriter&) { return *this; }
};

}  // namespace gx::sim
