// A minimal streaming JSON writer used to render Genesys-shaped responses quickly.
// Not thread-safe: one writer per response being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gx::sim {

// Appends JSON text to a string; commas between members/elements are inserted automatically.
class JsonWriter {
 public:
  JsonWriter() { out_.reserve(1024); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(std::int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Inserts already-serialized JSON as one value.
  JsonWriter& Raw(std::string_view json);

  // Shorthands for "key": value members.
  JsonWriter& Str(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Num(std::string_view k, std::int64_t v) { return Key(k).Int(v); }
  JsonWriter& Dbl(std::string_view k, double v) { return Key(k).Double(v); }
  JsonWriter& Flag(std::string_view k, bool v) { return Key(k).Bool(v); }
  JsonWriter& Nil(std::string_view k) { return Key(k).Null(); }
  // {"id":..,"name":..,"selfUri":..}; the name is left out when empty.
  JsonWriter& Ref(std::string_view k, std::string_view id, std::string_view name,
                  std::string_view self_uri);

  std::string& str() { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace gx::sim
