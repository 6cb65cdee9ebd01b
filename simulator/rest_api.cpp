// /api/v2 inventory endpoints: phones, stations, users/{id}/station, trunks (+metrics), trunk
// base settings, edges (+metrics) and sites, with Genesys pagination envelopes.
#include <algorithm>
#include <optional>
#include <string>
#include <sstream>

#include "simulator/http_internal.h"
#include "simulator/json_writer.h"
#include "simulator/sim_core.h"

namespace gx::sim {
namespace {

constexpr const char* kEdgesPath = "/api/v2/telephony/providers/edges";

std::vector<std::string> SplitCsv(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// All values of a query parameter, each split on commas (expand=a,b and expand=a&expand=b).
std::vector<std::string> MultiParam(const httplib::Request& req, const char* key) {
  std::vector<std::string> out;
  auto range = req.params.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    for (auto& v : SplitCsv(it->second)) out.push_back(v);
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  // '*' matches any run; comparison is case-insensitive like the real filters.
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  auto eq = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); };
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && eq(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

struct Paging {
  int size = 25;
  int number = 1;
};

bool ParseInt(const std::string& s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  out = std::stoi(s);
  return true;
}

// False (with a 400 sent) when pageSize/pageNumber are invalid.
bool ParsePaging(const httplib::Request& req, httplib::Response& res, const ApiCall& call, int max_size, Paging& p) {
  if (req.has_param("pageSize")) {
    const auto v = req.get_param_value("pageSize");
    if (!ParseInt(v, p.size) || p.size < 1 || p.size > max_size) {
      SendError(res, 400, "bad.request",
                "Value [" + v + "] is not valid for field type [pageSize]. Allowable values are: 1 to " +
                    std::to_string(max_size) + ".",
                call.correlation_id);
      return false;
    }
  }
  if (req.has_param("pageNumber")) {
    const auto v = req.get_param_value("pageNumber");
    if (!ParseInt(v, p.number) || p.number < 1) {
      SendError(res, 400, "bad.request", "Value [" + v + "] is not valid for field type [pageNumber].",
                call.correlation_id);
      return false;
    }
  }
  return true;
}

std::string PageUri(const httplib::Request& req, int size, int number) {
  std::string q = "pageSize=" + std::to_string(size) + "&pageNumber=" + std::to_string(number);
  for (const auto& [k, v] : req.params) {
    if (k == "pageSize" || k == "pageNumber") continue;
    q += "&" + k + "=" + v;
  }
  return req.path + "?" + q;
}

// Writes the listing envelope around entities [first, first+count) rendered by `item`.
template <typename F>
std::string Listing(const httplib::Request& req, const Paging& p, size_t total, F&& render_range) {
  JsonWriter w;
  w.Reserve(2048 + static_cast<size_t>(p.size) * 1800);
  w.BeginObject().Key("entities").BeginArray();
  size_t first = static_cast<size_t>(p.number - 1) * static_cast<size_t>(p.size);
  size_t end = std::min(total, first + static_cast<size_t>(p.size));
  if (first < total) render_range(w, first, end);
  w.EndArray();
  const int page_count = static_cast<int>((total + static_cast<size_t>(p.size) - 1) / static_cast<size_t>(p.size));
  w.Num("pageSize", p.size).Num("pageNumber", p.number).Num("total", static_cast<std::int64_t>(total));
  w.Num("totalNumberOfEntities", static_cast<std::int64_t>(total));
  w.Str("firstUri", PageUri(req, p.size, 1));
  w.Str("selfUri", PageUri(req, p.size, p.number));
  if (p.number < page_count) w.Str("nextUri", PageUri(req, p.size, p.number + 1));
  if (p.number > 1) w.Str("previousUri", PageUri(req, p.size, std::min(p.number - 1, std::max(page_count, 1))));
  w.Str("lastUri", PageUri(req, p.size, std::max(page_count, 1)));
  w.Num("pageCount", page_count);
  w.EndObject();
  return w.Take();
}

void NotFound(httplib::Response& res, const ApiCall& call, const std::string& what) {
  SendError(res, 404, "not.found", "Unable to find " + what, call.correlation_id);
}

void PhoneRoutes(httplib::Server& srv, SimCore& core) {
  const std::string base = kEdgesPath;
  AddApiRoute(srv, core, "GET", base + "/phones", base + "/phones",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    Paging p;
    if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
    auto expand = MultiParam(req, "expand");
    call.render.expand_status = Has(expand, "status");
    const auto sites = MultiParam(req, "site.id");
    const auto webrtc = MultiParam(req, "webRtcUser.id");
    const auto statuses = MultiParam(req, "status.operationalStatus");
    const auto names = MultiParam(req, "name");
    const auto line_ids = MultiParam(req, "lines.id");
    std::string sort_by = req.has_param("sortBy") ? req.get_param_value("sortBy") : "name";
    std::string order = req.has_param("sortOrder") ? req.get_param_value("sortOrder") : "ASC";
    std::transform(order.begin(), order.end(), order.begin(), ::toupper);
    if (sort_by != "name" && sort_by != "id" && sort_by != "status.operationalStatus" &&
        sort_by != "secondaryStatus.operationalStatus") {
      SendError(res, 400, "bad.request", "Invalid sortBy value [" + sort_by + "]", call.correlation_id);
      return;
    }
    std::string body = core.Read([&](const Org& org) {
      const std::vector<int>* view = sort_by == "id" ? &org.phones_by_id : &org.phones_by_name;
      std::vector<int> filtered;
      bool plain_filter = webrtc.empty() && statuses.empty() && names.empty() && line_ids.empty();
      if (sites.size() == 1 && plain_filter && sort_by == "name") {
        auto it = org.site_index.find(sites[0]);
        static const std::vector<int> kEmpty;
        view = it == org.site_index.end() ? &kEmpty : &org.site_phones[it->second];
      } else if (!sites.empty() || !plain_filter || sort_by.find("status") != std::string::npos) {
        for (int i : *view) {
          const auto& ph = org.phones[i];
          if (!sites.empty() && !Has(sites, org.sites[ph.site].id)) continue;
          if (!webrtc.empty() && (ph.webrtc_user < 0 || !Has(webrtc, org.users[ph.webrtc_user].id))) continue;
          if (!statuses.empty() && !Has(statuses, ph.status)) continue;
          if (!names.empty() && std::none_of(names.begin(), names.end(),
                                             [&](const std::string& n) { return WildcardMatch(n, ph.name); })) continue;
          if (!line_ids.empty() && std::none_of(ph.lines.begin(), ph.lines.end(),
                                                [&](const LineModel& l) { return Has(line_ids, l.id); })) continue;
          filtered.push_back(i);
        }
        if (sort_by.find("status") != std::string::npos) {
          bool secondary = sort_by[0] == 's' && sort_by[1] == 'e';
          std::stable_sort(filtered.begin(), filtered.end(), [&](int a, int b) {
            const auto& pa = org.phones[a];
            const auto& pb = org.phones[b];
            return (secondary ? pa.secondary_status : pa.status) < (secondary ? pb.secondary_status : pb.status);
          });
        }
        view = &filtered;
      }
      const bool desc = order == "DESC";
      const size_t n = view->size();
      return Listing(req, p, n, [&](JsonWriter& w, size_t first, size_t end) {
        for (size_t k = first; k < end; ++k) RenderPhone(w, org, (*view)[desc ? n - 1 - k : k], call.render);
      });
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/phones/([^/]+)", base + "/phones/{phoneId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.phone_index.find(req.matches[1]);
      if (it == org.phone_index.end() || org.phones[it->second].deleted) return std::nullopt;
      JsonWriter w;
      RenderPhone(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "phone");
    SendJson(res, 200, std::move(*body), call);
  });
}

void StationRoutes(httplib::Server& srv, SimCore& core) {
  AddApiRoute(srv, core, "GET", "/api/v2/stations", "/api/v2/stations",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    Paging p;
    if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
    const auto ids = MultiParam(req, "id");
    const auto line = req.get_param_value("lineAppearanceId");
    const auto webrtc = req.get_param_value("webRtcUserId");
    const auto name = req.get_param_value("name");
    std::string body = core.Read([&](const Org& org) {
      std::vector<int> view;
      view.reserve(org.phones_by_name.size());
      for (int i : org.phones_by_name) {  // station i belongs to phone i; same name order
        const auto& s = org.stations[i];
        if (!ids.empty() && !Has(ids, s.id)) continue;
        if (!line.empty() && org.phones[s.phone].lines.front().id != line) continue;
        if (!webrtc.empty() && (s.webrtc_user < 0 || org.users[s.webrtc_user].id != webrtc)) continue;
        if (!name.empty() && !WildcardMatch(name, s.name)) continue;
        view.push_back(i);
      }
      return Listing(req, p, view.size(), [&](JsonWriter& w, size_t first, size_t end) {
        for (size_t k = first; k < end; ++k) RenderStation(w, org, view[k], call.render);
      });
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", "/api/v2/stations/([^/]+)", "/api/v2/stations/{stationId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.station_index.find(req.matches[1]);
      if (it == org.station_index.end() || org.phones[org.stations[it->second].phone].deleted)
        return std::nullopt;
      JsonWriter w;
      RenderStation(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "station");
    SendJson(res, 200, std::move(*body), call);
  });
  AddApiRoute(srv, core, "GET", "/api/v2/users/([^/]+)/station", "/api/v2/users/{userId}/station",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.user_index.find(req.matches[1]);
      if (it == org.user_index.end()) return std::nullopt;
      JsonWriter w;
      RenderUserStations(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "user");
    SendJson(res, 200, std::move(*body), call);
  });
}

void TrunkRoutes(httplib::Server& srv, SimCore& core) {
  const std::string base = kEdgesPath;
  auto list = [&core](const std::string& edge_from_path) {
    return [&core, edge_from_path](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
      Paging p;
      if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
      const auto types = MultiParam(req, "trunkType");
      for (const auto& t : types) {
        if (t != "EXTERNAL" && t != "PHONE" && t != "EDGE") {
          SendError(res, 400, "bad.request", "Invalid trunkType [" + t + "]", call.correlation_id);
          return;
        }
      }
      std::string edge = edge_from_path.empty() ? req.get_param_value("edge.id") : std::string(req.matches[1]);
      const auto base_id = req.get_param_value("trunkBase.id");
      std::string body = core.Read([&](const Org& org) {
        std::vector<int> view;
        for (size_t i = 0; i < org.trunks.size(); ++i) {
          const auto& t = org.trunks[i];
          if (t.deleted) continue;
          if (!types.empty() && !Has(types, t.trunk_type)) continue;
          if (!edge.empty() && org.edges[t.edge].id != edge) continue;
          if (!base_id.empty() && org.bases[t.base].id != base_id) continue;
          view.push_back(static_cast<int>(i));
        }
        std::stable_sort(view.begin(), view.end(), [&](int a, int b) { return org.trunks[a].name < org.trunks[b].name; });
        return Listing(req, p, view.size(), [&](JsonWriter& w, size_t first, size_t end) {
          for (size_t k = first; k < end; ++k) RenderTrunk(w, org, view[k], call.render);
        });
      });
      SendJson(res, 200, std::move(body), call);
    };
  };
  AddApiRoute(srv, core, "GET", base + "/trunks", base + "/trunks", list(""));
  AddApiRoute(srv, core, "GET", base + "/trunks/metrics", base + "/trunks/metrics",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    const auto ids = MultiParam(req, "trunkIds");
    const int max = core.scenario().max_metric_ids;
    if (ids.empty() || static_cast<int>(ids.size()) > max) {
      SendError(res, 400, "bad.request",
                "trunkIds must list between 1 and " + std::to_string(max) + " ids; got " + std::to_string(ids.size()),
                call.correlation_id);
      return;
    }
    std::string body = core.Read([&](const Org& org) {
      JsonWriter w;
      w.BeginArray();
      for (const auto& id : ids) {
        auto it = org.trunk_index.find(id);
        if (it == org.trunk_index.end() || org.trunks[it->second].deleted) continue;
        RenderTrunkMetrics(w, org, it->second, call.render);
      }
      w.EndArray();
      return w.Take();
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/trunks/([^/]+)/metrics", base + "/trunks/{trunkId}/metrics",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.trunk_index.find(req.matches[1]);
      if (it == org.trunk_index.end() || org.trunks[it->second].deleted) return std::nullopt;
      JsonWriter w;
      RenderTrunkMetrics(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "trunk");
    SendJson(res, 200, std::move(*body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/trunks/([^/]+)", base + "/trunks/{trunkId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.trunk_index.find(req.matches[1]);
      if (it == org.trunk_index.end() || org.trunks[it->second].deleted) return std::nullopt;
      JsonWriter w;
      RenderTrunk(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "trunk");
    SendJson(res, 200, std::move(*body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/trunkbasesettings", base + "/trunkbasesettings",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    Paging p;
    if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
    call.render.expand_properties = Has(MultiParam(req, "expand"), "properties");
    const auto name = req.get_param_value("name");
    std::string body = core.Read([&](const Org& org) {
      std::vector<int> view;
      for (size_t i = 0; i < org.bases.size(); ++i) {
        if (!name.empty() && !WildcardMatch(name, org.bases[i].name)) continue;
        view.push_back(static_cast<int>(i));
      }
      std::stable_sort(view.begin(), view.end(), [&](int a, int b) { return org.bases[a].name < org.bases[b].name; });
      return Listing(req, p, view.size(), [&](JsonWriter& w, size_t first, size_t end) {
        for (size_t k = first; k < end; ++k) RenderTrunkBase(w, org, view[k], call.render);
      });
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/trunkbasesettings/([^/]+)", base + "/trunkbasesettings/{trunkBaseSettingsId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.base_index.find(req.matches[1]);
      if (it == org.base_index.end()) return std::nullopt;
      call.render.expand_properties = true;  // the single resource always carries its properties
      JsonWriter w;
      RenderTrunkBase(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "trunk base settings");
    SendJson(res, 200, std::move(*body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/([^/]+)/trunks", base + "/{edgeId}/trunks", list("edge"));
}

void EdgeRoutes(httplib::Server& srv, SimCore& core) {
  const std::string base = kEdgesPath;
  AddApiRoute(srv, core, "GET", base, base, [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    Paging p;
    if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
    const auto sites = MultiParam(req, "site.id");
    const auto name = req.get_param_value("name");
    std::string body = core.Read([&](const Org& org) {
      std::vector<int> view;
      for (size_t i = 0; i < org.edges.size(); ++i) {
        const auto& e = org.edges[i];
        if (e.deleted) continue;
        if (!sites.empty() && !Has(sites, org.sites[e.site].id)) continue;
        if (!name.empty() && !WildcardMatch(name, e.name)) continue;
        view.push_back(static_cast<int>(i));
      }
      std::stable_sort(view.begin(), view.end(), [&](int a, int b) { return org.edges[a].name < org.edges[b].name; });
      return Listing(req, p, view.size(), [&](JsonWriter& w, size_t first, size_t end) {
        for (size_t k = first; k < end; ++k) RenderEdge(w, org, view[k], call.render);
      });
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/metrics", base + "/metrics",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    const auto ids = MultiParam(req, "edgeIds");
    const int max = core.scenario().max_metric_ids;
    if (ids.empty() || static_cast<int>(ids.size()) > max) {
      SendError(res, 400, "bad.request",
                "edgeIds must list between 1 and " + std::to_string(max) + " ids; got " + std::to_string(ids.size()),
                call.correlation_id);
      return;
    }
    const UnixNanos now = core.Now();
    std::string body = core.Read([&](const Org& org) {
      JsonWriter w;
      w.BeginArray();
      for (const auto& id : ids) {
        auto it = org.edge_index.find(id);
        if (it == org.edge_index.end() || org.edges[it->second].deleted) continue;
        RenderEdgeMetrics(w, org, it->second, now, call.render);
      }
      w.EndArray();
      return w.Take();
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/sites", base + "/sites",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    Paging p;
    if (!ParsePaging(req, res, call, core.scenario().max_page_size, p)) return;
    std::string body = core.Read([&](const Org& org) {
      return Listing(req, p, org.sites.size(), [&](JsonWriter& w, size_t first, size_t end) {
        for (size_t k = first; k < end; ++k) RenderSite(w, org, static_cast<int>(k), call.render);
      });
    });
    SendJson(res, 200, std::move(body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/([^/]+)/metrics", base + "/{edgeId}/metrics",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    const UnixNanos now = core.Now();
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.edge_index.find(req.matches[1]);
      if (it == org.edge_index.end() || org.edges[it->second].deleted) return std::nullopt;
      JsonWriter w;
      RenderEdgeMetrics(w, org, it->second, now, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "edge");
    SendJson(res, 200, std::move(*body), call);
  });
  AddApiRoute(srv, core, "GET", base + "/([^/]+)", base + "/{edgeId}",
              [&core](const httplib::Request& req, httplib::Response& res, ApiCall& call) {
    auto body = core.Read([&](const Org& org) -> std::optional<std::string> {
      auto it = org.edge_index.find(req.matches[1]);
      if (it == org.edge_index.end() || org.edges[it->second].deleted) return std::nullopt;
      JsonWriter w;
      RenderEdge(w, org, it->second, call.render);
      return w.Take();
    });
    if (!body) return NotFound(res, call, "edge");
    SendJson(res, 200, std::move(*body), call);
  });
}

}  // namespace

void RegisterRestRoutes(httplib::Server& srv, SimCore& core) {
  // Specific paths before the generic /edges/{edgeId} patterns: httplib takes the first match.
  PhoneRoutes(srv, core);
  StationRoutes(srv, core);
  TrunkRoutes(srv, core);
  EdgeRoutes(srv, core);
}

}  // namespace gx::sim
