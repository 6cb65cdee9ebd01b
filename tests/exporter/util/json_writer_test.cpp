#include "exporter/util/json_writer.h"

#include <gtest/gtest.h>

#include <limits>

namespace gx {
namespace {

TEST(JsonWriter, NestingCommasAndEscapes) {
  JsonWriter w;
  w.BeginObject()
      .Field("s", "a\"b\\c\nd\x01")
      .Field("i", std::int64_t{-42})
      .Field("d", 0.25)
      .Field("b", true)
      .Key("n").Null()
      .Key("arr").BeginArray().Int(1).String("x").BeginObject().EndObject().EndArray()
      .Key("nan").Number(std::numeric_limits<double>::quiet_NaN())
      .Key("raw").Raw("[1,2]")
      .EndObject();
  EXPECT_EQ(w.str(),
            R"({"s":"a\"b\\c\nd\u0001","i":-42,"d":0.25,"b":true,"n":null,"arr":[1,"x",{}],"nan":null,"raw":[1,2]})");
}

TEST(JsonWriter, EmptyContainers) {
  JsonWriter w;
  w.BeginArray().BeginArray().EndArray().BeginObject().EndObject().EndArray();
  EXPECT_EQ(w.Take(), "[[],{}]");
}

}  // namespace
}  // namespace gx
