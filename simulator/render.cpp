#include "simulator/render.h"

#include "simulator/sim_time.h"

namespace gx::sim {
namespace {

constexpr const char* kEdges = "/api/v2/telephony/providers/edges";

std::string T(UnixNanos t, int digits) { return FormatIso(t, digits); }

void Extra(JsonWriter& w, const RenderOptions& o) {
  if (!o.extra_fields) return;
  w.Key("futureField").BeginObject().Str("kind", "unannounced").Key("values").BeginArray()
      .Int(1).Int(2).Int(3).EndArray().Nil("note").EndObject();
  w.Flag("betaFeatureEnabled", true);
}

const char* EdgesStatus(const Org& org, const PhoneModel& p, const RenderOptions& o) {
  if (o.unknown_enum) return "PARTIAL_SERVICE";
  bool a = org.edges[p.edge].online, b = org.edges[p.edge2].online;
  if (a && b) return "IN_SERVICE";
  if (a || b) return "MIXED_SERVICE";
  return "OUT_OF_SERVICE";
}

void RenderLineStatuses(JsonWriter& w, const PhoneModel& p, bool secondary, const RenderOptions& o) {
  w.Key("lineStatuses").BeginArray();
  for (const auto& l : p.lines) {
    bool reachable = secondary ? (l.reachable && p.secondary_status != "OFFLINE") : l.reachable;
    w.BeginObject().Str("id", l.id).Flag("reachable", reachable);
    w.Str("addressOfRecord", "sip:" + l.name + "@sim.example.invalid");
    if (!o.missing_optional) {
      w.Key("contactAddresses").BeginArray();
      if (reachable) w.String("sip:" + l.name + "@10.20." + std::to_string(p.site % 250) + ".17:5060");
      w.EndArray();
      w.Str("reachableStateTime", T(l.reachable_time, p.digits));
    }
    w.EndObject();
  }
  w.EndArray();
}

void RenderPhoneStatus(JsonWriter& w, const Org& org, const PhoneModel& p, bool secondary,
                       bool for_event, const RenderOptions& o) {
  const auto& edge = org.edges[secondary ? p.edge2 : p.edge];
  const std::string& st = secondary ? p.secondary_status : p.status;
  w.BeginObject().Str("id", secondary ? p.secondary_status_id : p.status_id);
  w.Str("operationalStatus", o.unknown_enum ? "MAINTENANCE" : st);
  if (!for_event) w.Str("edgesStatus", EdgesStatus(org, p, o));
  w.Str("eventCreationTime", T(p.status_time, p.digits));
  if (!o.missing_optional) {
    w.Key("provision").BeginObject().Str("time", T(p.provision_time, (p.digits + 3) % 10))
        .Str("source", "PROVISIONING_SERVICE").Nil("errorInfo").EndObject();
  }
  RenderLineStatuses(w, p, secondary, o);
  if (!for_event) w.Str("phoneAssignmentToEdgeType", secondary ? "SECONDARY" : "PRIMARY");
  if (!o.missing_optional) w.Ref("edge", edge.id, edge.name, EdgeUri(edge.id));
  if (!for_event) w.Str("selfUri", PhoneUri(p.id) + "/status");
  Extra(w, o);
  w.EndObject();
}

void RenderUserAgent(JsonWriter& w, const PhoneModel& p) {
  w.Key("userAgentInfo").BeginObject();
  if (p.firmware.empty()) {
    w.Nil("firmwareVersion");
  } else {
    w.Str("firmwareVersion", p.firmware);
  }
  w.Str("manufacturer", p.manufacturer).Str("model", p.model).EndObject();
}

void Common(JsonWriter& w, const Org& org, UnixNanos created, int digits, const RenderOptions& o) {
  w.Key("division").BeginObject().Str("id", org.division_id).Str("name", "Home")
      .Str("selfUri", "/api/v2/authorization/divisions/" + org.division_id).EndObject();
  w.Nil("description");
  w.Num("version", 3);
  w.Str("dateCreated", T(created, digits));
  if (!o.missing_optional) w.Str("dateModified", T(created + 3600 * kNanosPerSecond, digits));
  w.Str("modifiedBy", "system").Str("createdBy", "system");
  w.Str("state", "active");
  w.Nil("modifiedByApp").Nil("createdByApp");
}

}  // namespace

std::string PhoneUri(const std::string& id) { return std::string(kEdges) + "/phones/" + id; }
std::string TrunkUri(const std::string& id) { return std::string(kEdges) + "/trunks/" + id; }
std::string EdgeUri(const std::string& id) { return std::string(kEdges) + "/" + id; }
std::string SiteUri(const std::string& id) { return std::string(kEdges) + "/sites/" + id; }
std::string UserUri(const std::string& id) { return "/api/v2/users/" + id; }
std::string StationUri(const std::string& id) { return "/api/v2/stations/" + id; }

void RenderPhone(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& p = org.phones[idx];
  const auto& site = org.sites[p.site];
  w.BeginObject().Str("id", p.id).Str("name", p.name);
  Common(w, org, p.created, p.digits, o);
  w.Ref("site", site.id, site.name, SiteUri(site.id));
  w.Ref("phoneBaseSettings", p.webrtc ? "b1e6c3a0-0000-4000-8000-00000000web0" : "b1e6c3a0-0000-4000-8000-00000000hw01",
        p.webrtc ? "WebRTC Phones" : p.manufacturer + " " + p.model, "");
  w.Ref("lineBaseSettings", p.webrtc ? "c2f7d4b1-0000-4000-8000-00000000web0" : "c2f7d4b1-0000-4000-8000-00000000hw01",
        "Default line", "");
  w.Key("phoneMetaBase").BeginObject().Str("id", p.webrtc ? "inin_webrtc_softphone.json" : "generic_sip.json")
      .Str("name", p.webrtc ? "WebRTC" : "Generic SIP Phone").EndObject();
  w.Key("lines").BeginArray();
  for (const auto& l : p.lines) {
    w.BeginObject().Str("id", l.id).Str("name", l.name).Str("state", "active");
    w.Ref("site", site.id, site.name, SiteUri(site.id));
    w.Key("properties").BeginObject().Key("station_lineLabel").BeginObject().Key("value").BeginObject()
        .Nil("default").Str("instance", l.name).EndObject().EndObject().EndObject();
    if (p.webrtc_user >= 0) {
      const auto& u = org.users[p.webrtc_user];
      w.Ref("defaultForUser", u.id, "", UserUri(u.id));
    }
    w.Nil("loggedInUser");
    w.Str("selfUri", "/api/v2/telephony/providers/edges/lines/" + l.id);
    w.EndObject();
  }
  w.EndArray();
  if (o.expand_status) {
    w.Key("status");
    RenderPhoneStatus(w, org, p, false, false, o);
    if (!o.missing_optional) {
      w.Key("secondaryStatus");
      RenderPhoneStatus(w, org, p, true, false, o);
    }
  }
  if (!o.missing_optional) RenderUserAgent(w, p);
  w.Key("properties").BeginObject().Key("phone_hardwareId").BeginObject().Key("value").BeginObject()
      .Nil("default").Str("instance", p.hardware_id).EndObject().EndObject().EndObject();
  w.Key("capabilities").BeginObject().Flag("provisions", !p.webrtc).Flag("registers", true)
      .Flag("dualRegisters", !p.webrtc).Str("hardwareIdType", p.webrtc ? "none" : "mac")
      .Flag("allowReboot", !p.webrtc).Flag("noRebalance", false).Flag("noCloudProvisioning", p.webrtc)
      .Key("mediaCodecs").BeginArray().String("audio/opus").String("audio/PCMU");
  if (!p.webrtc) w.String("audio/G722");
  w.EndArray().Flag("cdm", true).EndObject();
  if (p.webrtc_user >= 0) {
    const auto& u = org.users[p.webrtc_user];
    w.Ref("webRtcUser", u.id, u.name, UserUri(u.id));
  } else {
    w.Nil("webRtcUser");
  }
  w.Flag("standAlone", false);
  const auto& e1 = org.edges[p.edge];
  w.Ref("primaryEdge", e1.id, e1.name, EdgeUri(e1.id));
  if (!o.missing_optional) {
    const auto& e2 = org.edges[p.edge2];
    w.Ref("secondaryEdge", e2.id, e2.name, EdgeUri(e2.id));
  }
  Extra(w, o);
  w.Str("selfUri", PhoneUri(p.id));
  w.EndObject();
}

void RenderStation(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& s = org.stations[idx];
  const auto& p = org.phones[s.phone];
  w.BeginObject().Str("id", s.id).Str("name", s.name).Nil("description");
  w.Str("status", s.user >= 0 ? "ASSOCIATED" : "AVAILABLE");
  if (s.user >= 0) w.Str("userId", org.users[s.user].id);
  if (s.webrtc_user >= 0) w.Str("webRtcUserId", org.users[s.webrtc_user].id);
  const auto& e1 = org.edges[p.edge];
  w.Ref("primaryEdge", e1.id, e1.name, EdgeUri(e1.id));
  if (!o.missing_optional) {
    const auto& e2 = org.edges[p.edge2];
    w.Ref("secondaryEdge", e2.id, e2.name, EdgeUri(e2.id));
  }
  w.Str("type", s.type);
  w.Str("lineAppearanceId", p.lines.front().id);
  if (p.webrtc) {
    w.Num("webRtcMediaDscp", 46).Flag("webRtcPersistentEnabled", false).Flag("webRtcForceTurn", false)
        .Num("webRtcCallAppearances", 100).Flag("webRtcRequireMediaHelper", false);
  }
  Extra(w, o);
  w.Str("selfUri", StationUri(s.id));
  w.EndObject();
}

void RenderUserStations(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& u = org.users[idx];
  auto station = [&](const char* key, int st, bool with_user) {
    const auto& s = org.stations[st];
    const auto& p = org.phones[s.phone];
    w.Key(key).BeginObject().Str("id", s.id).Str("name", s.name).Str("type", s.type);
    if (with_user) {
      w.Key("associatedUser").BeginObject().Str("id", u.id).Str("name", u.name)
          .Str("selfUri", UserUri(u.id)).EndObject();
      w.Str("associatedDate", T(s.associated_time, 3));
    }
    if (s.webrtc_user >= 0) w.Key("defaultUser").BeginObject().Str("id", org.users[s.webrtc_user].id)
        .Str("selfUri", UserUri(org.users[s.webrtc_user].id)).EndObject();
    w.Key("providerInfo").BeginObject().Str("edgeGroupId", org.edges[p.edge].id).EndObject();
    if (p.webrtc) w.Num("webRtcCallAppearances", 100);
    w.EndObject();
  };
  w.BeginObject();
  if (u.station >= 0) {
    station("associatedStation", u.station, true);
    station("effectiveStation", u.station, true);
  }
  if (u.default_station >= 0) station("defaultStation", u.default_station, false);
  if (u.station >= 0 && !o.missing_optional) station("lastAssociatedStation", u.station, true);
  Extra(w, o);
  w.EndObject();
}

void RenderTrunk(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& t = org.trunks[idx];
  const auto& b = org.bases[t.base];
  const auto& e = org.edges[t.edge];
  w.BeginObject().Str("id", t.id).Str("name", t.name);
  Common(w, org, t.created, t.digits, o);
  w.Str("trunkType", t.trunk_type);
  w.Ref("edge", e.id, e.name, EdgeUri(e.id));
  w.Ref("trunkBase", b.id, b.name, std::string(kEdges) + "/trunkbasesettings/" + b.id);
  w.Key("trunkMetabase").BeginObject().Str("id", b.type_property == "external.pcv.byoc.carrier"
                                                    ? "external_sip_pcv_byoc_carrier.json"
                                                    : b.type_property + ".json")
      .Str("name", b.type_property).EndObject();
  w.Ref("edgeGroup", org.sites[e.site].id, org.sites[e.site].name + " edge group", "");
  w.Flag("inService", t.in_service).Flag("enabled", t.enabled);
  w.Ref("logicalInterface", t.id.substr(0, 8) + "-li00-4000-8000-000000000001", "eth0", "");
  w.Key("connectedStatus").BeginObject().Flag("connected", t.connected);
  if (!o.missing_optional) w.Str("connectedStateTime", T(t.connected_time, t.digits));
  w.EndObject();
  auto proxies = [&](const char* key, bool options) {
    w.Key(key).BeginArray();
    bool enabled = options ? t.options_enabled : t.registers_enabled;
    if (enabled) {
      for (const auto& px : t.proxies) {
        bool up = options ? px.options_up : px.register_up;
        w.BeginObject().Str("proxyAddress", px.address).Flag(options ? "optionState" : "registerState", up);
        if (!o.missing_optional)
          w.Str(options ? "optionStateTime" : "registerStateTime",
                T(options ? px.options_time : px.register_time, (t.digits + 6) % 10));
        if (up) {
          w.Nil("errorInfo");
        } else {
          w.Key("errorInfo").BeginObject().Str("text", options ? "OPTIONS request timed out" : "REGISTER rejected")
              .Str("code", options ? "408" : "403").Key("details").BeginObject()
              .Str("code", options ? "408" : "403").Str("message", "Request Timeout")
              .Str("hostname", px.address.substr(0, px.address.find(':'))).EndObject().EndObject();
        }
        w.EndObject();
      }
    }
    w.EndArray();
  };
  proxies("optionsStatus", true);
  proxies("registersStatus", false);
  w.Key("ipStatus").BeginObject().Str("address", t.ip).Nil("errorInfo").EndObject();
  const char* unknown = "FUTURE_STATE";
  w.Str("optionsEnabledStatus", o.unknown_enum ? unknown : (t.options_enabled ? "ENABLED" : "DISABLED"));
  w.Str("registersEnabledStatus", t.registers_enabled ? "ENABLED" : "DISABLED");
  w.Num("family", 2);
  if (t.trunk_type == "EXTERNAL" || !o.missing_optional) {
    w.Key("proxyAddressList").BeginArray();
    for (const auto& px : t.proxies) w.String(px.address);
    w.EndArray();
  }
  Extra(w, o);
  w.Str("selfUri", TrunkUri(t.id));
  w.EndObject();
}

void RenderTrunkMetrics(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& t = org.trunks[idx];
  w.BeginObject().Str("eventTime", T(t.metrics_time, t.digits));
  w.Ref("logicalInterface", t.id.substr(0, 8) + "-li00-4000-8000-000000000001", "eth0", "");
  w.Ref("trunk", t.id, t.name, TrunkUri(t.id));
  w.Key("calls").BeginObject().Num("inboundCallCount", t.inbound).Num("outboundCallCount", t.outbound).EndObject();
  w.Key("qos").BeginObject().Num("mismatchCount", t.qos_mismatches).EndObject();
  Extra(w, o);
  w.EndObject();
}

void RenderTrunkBase(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& b = org.bases[idx];
  w.BeginObject().Str("id", b.id).Str("name", b.name);
  Common(w, org, b.created, 3, o);
  w.Key("trunkMetabase").BeginObject().Str("id", b.type_property + ".json").Str("name", b.type_property).EndObject();
  w.Str("trunkType", b.trunk_type).Flag("managed", false);
  w.Ref("site", org.sites[b.site].id, org.sites[b.site].name, SiteUri(org.sites[b.site].id));
  w.Nil("inboundSite");
  if (o.expand_properties) {
    w.Key("properties").BeginObject();
    w.Key("trunk_type").BeginObject().Str("type", "string").Key("value").BeginObject()
        .Str("default", b.type_property).Str("instance", b.type_property).EndObject().EndObject();
    w.Key("trunk_enabled").BeginObject().Str("type", "boolean").Key("value").BeginObject()
        .Flag("default", true).Flag("instance", b.enabled).EndObject().EndObject();
    w.Key("trunk_transport_serverProxyList").BeginObject().Str("type", "array")
        .Key("items").BeginObject().Str("type", "string").EndObject()
        .Key("value").BeginObject().Key("default").BeginArray().EndArray().Key("instance").BeginArray();
    for (const auto& p : b.proxies) w.String(p);
    w.EndArray().EndObject().EndObject();
    w.Key("trunk_transport_protocolVariant").BeginObject().Str("type", "string")
        .Key("enum").BeginArray().String("udp").String("tcp").String("tls").EndArray()
        .Key("value").BeginObject().Str("default", "udp").Str("instance", b.protocol).EndObject().EndObject();
    w.Key("trunk_transport_sipDscpValue").BeginObject().Str("type", "integer").Key("value").BeginObject()
        .Num("default", 24).Num("instance", 24).EndObject().EndObject();
    w.Key("trunk_access_acl_allowList").BeginObject().Str("type", "array").Key("value").BeginObject()
        .Key("default").BeginArray().EndArray().Key("instance").BeginArray().String("198.51.100.0/24")
        .EndArray().EndObject().EndObject();
    w.EndObject();
  }
  Extra(w, o);
  w.Str("selfUri", std::string(kEdges) + "/trunkbasesettings/" + b.id);
  w.EndObject();
}

void RenderSite(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& s = org.sites[idx];
  w.BeginObject().Str("id", s.id).Str("name", s.name);
  Common(w, org, 1700000000LL * kNanosPerSecond, 0, o);
  w.Flag("managed", false).Str("mediaModel", "Premises");
  w.Str("selfUri", SiteUri(s.id));
  w.EndObject();
}

void RenderEdge(JsonWriter& w, const Org& org, int idx, const RenderOptions& o) {
  const auto& e = org.edges[idx];
  const auto& s = org.sites[e.site];
  w.BeginObject().Str("id", e.id).Str("name", e.name);
  Common(w, org, e.created, 3, o);
  w.Str("make", "Genesys").Str("model", "Edge Appliance").Str("apiVersion", "v2");
  w.Str("softwareVersion", e.version).Str("softwareVersionTimestamp", "20260412T101500Z");
  w.Str("softwareVersionPlatform", e.version).Str("softwareVersionConfiguration", e.version);
  w.Str("fullSoftwareVersion", e.version + "-release").Str("pairingId", e.serial.substr(2, 5));
  w.Str("fingerprint", "3f:9a:" + e.id.substr(0, 2) + ":c4").Str("fingerprintHint", e.id.substr(0, 4));
  w.Str("currentVersion", e.version).Nil("stagedVersion").Nil("patch");
  w.Str("statusCode", e.online ? "ACTIVE" : "INACTIVE");
  w.Ref("edgeGroup", s.id, s.name + " edge group", "");
  w.Ref("site", s.id, s.name, SiteUri(s.id));
  if (!o.missing_optional) {
    w.Key("softwareStatus").BeginObject().Str("version", e.version).Num("maxDownloadRate", 0)
        .Nil("downloadStartTime").Nil("executeStartTime").Nil("executeStopTime").Flag("executeOnIdle", true)
        .Str("status", "INSTALLED").Nil("edgeUri").Num("callDrainingWaitTimeSeconds", 0).Flag("current", true)
        .EndObject();
  }
  w.Str("onlineStatus", o.unknown_enum ? "STANDBY" : (e.online ? "ONLINE" : "OFFLINE"));
  w.Str("serialNumber", e.serial).Flag("physicalEdge", true).Flag("managed", false);
  w.Str("edgeDeploymentType", "HARDWARE").Str("certType", "PureCloud").Str("callDrainingState", "NONE");
  w.Num("conversationCount", e.conversations).Nil("proxy").Flag("offlineConfigCalled", false);
  w.Str("osName", "Linux");
  Extra(w, o);
  w.Str("selfUri", EdgeUri(e.id));
  w.EndObject();
}

void RenderEdgeMetrics(JsonWriter& w, const Org& org, int idx, UnixNanos now, const RenderOptions& o) {
  const auto& e = org.edges[idx];
  w.BeginObject();
  w.Ref("edge", e.id, e.name, EdgeUri(e.id));
  w.Str("eventTime", T(now, 3));
  w.Num("upTimeMsec", e.online ? (now - e.boot_time) / kNanosPerMilli : 0);
  w.Key("processors").BeginArray();
  for (int c = 0; c < 2; ++c) {
    w.BeginObject().Dbl("activeTimePct", 12.5 + c).Str("cpuId", std::to_string(c)).Dbl("idleTimePct", 87.5 - c)
        .Dbl("privilegedTimePct", 2.0).Dbl("userTimePct", 10.5 + c).EndObject();
  }
  w.EndArray();
  w.Key("memory").BeginArray().BeginObject().Num("availableBytes", 6LL << 30).Str("type", "physical")
      .Num("totalBytes", 16LL << 30).EndObject().EndArray();
  w.Key("disks").BeginArray().BeginObject().Num("availableBytes", 80LL << 30).Str("partitionName", "C:\\")
      .Num("totalBytes", 120LL << 30).EndObject().EndArray();
  w.Key("subsystems").BeginArray().BeginObject().Num("delayMs", 3).Str("processName", "sipServer")
      .Key("mediaSubsystem").BeginObject().Num("delayMs", 1).Str("processName", "media").EndObject()
      .EndObject().EndArray();
  w.Key("networks").BeginArray().BeginObject().Str("ifname", "eth0").Num("sentBytesPerSec", 125000)
      .Num("receivedBytesPerSec", 98000).Num("bandwidthBitsPerSec", 1000000000)
      .Dbl("utilizationPct", 0.18).EndObject().EndArray();
  Extra(w, o);
  w.EndObject();
}

std::string PhoneEventBody(const Org& org, int idx) {
  const auto& p = org.phones[idx];
  RenderOptions o;
  JsonWriter w;
  w.BeginObject().Str("id", p.id);
  w.Key("status");
  RenderPhoneStatus(w, org, p, false, true, o);
  w.Key("secondaryStatus");
  RenderPhoneStatus(w, org, p, true, true, o);
  RenderUserAgent(w, p);
  w.EndObject();
  return w.Take();
}

std::string TrunkEventBody(const Org& org, int idx) {
  // Same sub-shapes as the REST trunk; render it and keep only the status members.
  const auto& t = org.trunks[idx];
  JsonWriter w;
  w.BeginObject().Str("id", t.id);
  w.Key("connectedStatus").BeginObject().Flag("connected", t.connected)
      .Str("connectedStateTime", T(t.connected_time, t.digits)).EndObject();
  auto proxies = [&](const char* key, bool options) {
    w.Key(key).BeginArray();
    if (options ? t.options_enabled : t.registers_enabled) {
      for (const auto& px : t.proxies) {
        bool up = options ? px.options_up : px.register_up;
        w.BeginObject().Str("proxyAddress", px.address).Flag(options ? "optionState" : "registerState", up)
            .Str(options ? "optionStateTime" : "registerStateTime",
                 T(options ? px.options_time : px.register_time, (t.digits + 6) % 10));
        if (up) {
          w.Nil("errorInfo");
        } else {
          w.Key("errorInfo").BeginObject().Str("text", "Request Timeout").Str("code", "408").EndObject();
        }
        w.EndObject();
      }
    }
    w.EndArray();
  };
  proxies("optionsStatus", true);
  proxies("registersStatus", false);
  w.Key("ipStatus").BeginObject().Str("address", t.ip).Nil("errorInfo").EndObject();
  w.EndObject();
  return w.Take();
}

std::string TrunkMetricsEventBody(const Org& org, int idx) {
  const auto& t = org.trunks[idx];
  JsonWriter w;
  w.BeginObject();
  w.Key("calls").BeginObject().Num("inboundCallCount", t.inbound).Num("outboundCallCount", t.outbound).EndObject();
  w.Str("eventTime", T(t.metrics_time, t.digits));
  w.Key("qos").BeginObject().Num("mismatchCount", t.qos_mismatches).EndObject();
  w.Key("trunk").BeginObject().Str("id", t.id).Str("name", t.name).EndObject();
  w.EndObject();
  return w.Take();
}

std::string EdgeEventBody(const Org& org, int idx) {
  const auto& e = org.edges[idx];
  JsonWriter w;
  w.BeginObject().Str("id", e.id).Str("onlineStatus", e.online ? "ONLINE" : "OFFLINE").EndObject();
  return w.Take();
}

std::string UserStationEventBody(const Org& org, int idx) {
  const auto& u = org.users[idx];
  JsonWriter w;
  w.BeginObject();
  if (u.station >= 0) {
    const auto& s = org.stations[u.station];
    w.Key("associatedStation").BeginObject().Str("id", s.id).Str("name", s.name)
        .Key("associatedUser").BeginObject().Str("id", u.id).EndObject().EndObject();
  } else {
    w.Nil("associatedStation");
  }
  w.EndObject();
  return w.Take();
}

}  // namespace gx::sim
