// The bulk metric endpoints answer a plain JSON array (no envelope):
// trunks/metrics?trunkIds= and edges/metrics?edgeIds=.
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/entity_readers.h"

namespace gx {
namespace {

template <typename T, typename ReadFn>
Status ParseArray(std::string_view body, std::string_view what, std::vector<T>& out, ReadFn read) {
  json::Document doc;
  if (auto st = doc.Parse(body, json::kMaxBodyBytes, what); !st.ok()) return st;
  json::element root = doc.root();
  out.clear();
  json::array list;
  if (root.is_array()) {
    list = root.get_array().value_unsafe();
  } else if (auto entities = json::Arr(root, "entities")) {
    list = *entities;  // tolerate an enveloped answer too
  } else {
    return Status::Error(std::string(what) + ": body is not a JSON array");
  }
  out.reserve(list.size());
  std::size_t index = 0;
  for (json::element e : list) {
    if (!e.is_object()) {
      return Status::Error(std::string(what) + ": item " + std::to_string(index) + " is not an object");
    }
    T value;
    if (auto st = read(e, std::string_view(), value); !st.ok()) {
      return Status::Error(std::string(what) + ": item " + std::to_string(index) + ": " + st.error());
    }
    out.push_back(std::move(value));
    ++index;
  }
  return Status::Ok();
}

}  // namespace

Status ParseTrunkMetricsArray(std::string_view body, std::vector<TrunkMetrics>& out) {
  return ParseArray(body, "trunk metrics", out, json::ReadTrunkMetrics);
}

Status ParseEdgeMetricsArray(std::string_view body, std::vector<EdgeMetrics>& out) {
  return ParseArray(body, "edge metrics", out, json::ReadEdgeMetrics);
}

}  // namespace gx
