#include "exporter/outputs/http/web_config.h"

#include <array>
#include <filesystem>
#include <string_view>

#include "exporter/config/yaml_walker.h"
#include "exporter/outputs/http/basic_auth.h"
#include "exporter/outputs/http/tls_context.h"
#include "exporter/util/read_file.h"

namespace gx {
namespace {

constexpr const char* kTls = "tls_server_config";

// exporter-toolkit's extraHTTPHeaders: the only headers that may be set, and for some the
// only values (matched exactly, as Go's map lookup does).
struct AllowedHeader {
  std::string_view name;
  std::vector<std::string_view> values;  // empty: any
};
const std::array<AllowedHeader, 5> kAllowedHeaders = {{
    {"Content-Security-Policy", {}},
    {"Strict-Transport-Security", {}},
    {"X-Content-Type-Options", {"nosniff"}},
    {"X-Frame-Options", {"deny", "sameorigin"}},
    {"X-XSS-Protection", {}},
}};

// Appended, not "\"" + std::string(s): GCC 12 -O2 warns falsely (-Wrestrict) on a literal + temporary.
std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  return out.append("\"").append(s).append("\"");
}

void ParseHeaders(YamlWalker& w, const YAML::Node& n, const std::string& path, WebConfigFile& c) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsMap()) return w.Error(n, path, "must be a mapping");
  for (const auto& kv : n) {
    const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const std::string key = path + "." + name;
    const AllowedHeader* allowed = nullptr;
    std::string names;
    for (const auto& h : kAllowedHeaders) {
      if (h.name == name) allowed = &h;
      names += (names.empty() ? "" : ", ") + std::string(h.name);
    }
    if (!allowed) {
      w.Error(kv.first, key, "HTTP header " + Quoted(name) + " can not be configured (allowed: " + names + ")");
      continue;
    }
    if (!kv.second.IsScalar() && !kv.second.IsNull()) {
      w.Error(kv.second, key, "must be a string");
      continue;
    }
    const std::string value = kv.second.IsScalar() ? kv.second.Scalar() : "";
    if (value.empty()) continue;  // "Unset if blank"
    if (!allowed->values.empty()) {
      bool ok = false;
      std::string expected;
      for (auto v : allowed->values) {
        ok = ok || v == value;
        expected.append(expected.empty() ? "" : ", ").append(Quoted(v));
      }
      if (!ok) {
        w.Error(kv.second, key, "invalid value " + Quoted(value) + " (expected one of: " + expected + ")");
        continue;
      }
    }
    // A value is sent as a header line: no line breaks or other control characters.
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      w.Error(kv.second, key, "must not contain a line break");
      continue;
    }
    c.headers.emplace_back(name, value);
  }
}

void ParseUsers(YamlWalker& w, const YAML::Node& n, const std::string& path, WebConfigFile& c) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsMap()) return w.Error(n, path, "must be a mapping of user names to bcrypt hashes");
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) {
      w.Error(kv.first, path, "user names must be strings");
      continue;
    }
    const std::string user = kv.first.Scalar();
    const std::string key = path + "." + user;
    // Basic auth splits "user:password" at the first colon: this user could never log in.
    if (user.find(':') != std::string::npos) {
      w.Error(kv.first, key, "a user name cannot contain ':'");
      continue;
    }
    // The value is a secret (or a plain password written by mistake): never shown.
    if (!kv.second.IsScalar()) {
      w.Error(kv.second, key, "must be a bcrypt hash");
      continue;
    }
    if (Status hash = CheckBcryptHash(kv.second.Scalar()); !hash) {
      w.Error(kv.second, key, hash.error());
      continue;
    }
    c.basic_auth_users[user] = kv.second.Scalar();
  }
}

YamlWalker::Handler ClientAuth(YamlWalker& w, ClientAuthType& out) {
  return [&w, &out](const YAML::Node& n, const std::string& key) {
    static const std::map<std::string, ClientAuthType> kTypes = {
        {"", ClientAuthType::kNoClientCert},
        {"NoClientCert", ClientAuthType::kNoClientCert},
        {"RequestClientCert", ClientAuthType::kRequestClientCert},
        {"RequireAnyClientCert", ClientAuthType::kRequireAnyClientCert},
        {"RequireClientCert", ClientAuthType::kRequireAnyClientCert},  // exporter-toolkit's old name
        {"VerifyClientCertIfGiven", ClientAuthType::kVerifyClientCertIfGiven},
        {"RequireAndVerifyClientCert", ClientAuthType::kRequireAndVerifyClientCert},
    };
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    auto it = kTypes.find(v);
    if (!n.IsScalar() || it == kTypes.end()) {
      return w.Error(n, key,
                     "invalid ClientAuth " + Quoted(v) +
                         " (use NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or "
                         "RequireAndVerifyClientCert)");
    }
    out = it->second;
  };
}

YamlWalker::Handler Version(YamlWalker& w, TlsVersion& out) {
  return [&w, &out](const YAML::Node& n, const std::string& key) {
    static const std::map<std::string, TlsVersion> kVersions = {{"TLS10", TlsVersion::kTls10},
                                                                {"TLS11", TlsVersion::kTls11},
                                                                {"TLS12", TlsVersion::kTls12},
                                                                {"TLS13", TlsVersion::kTls13}};
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    auto it = kVersions.find(v);
    if (it == kVersions.end()) {
      return w.Error(n, key, "unknown TLS version " + Quoted(v) + " (use TLS10, TLS11, TLS12 or TLS13)");
    }
    out = it->second;
  };
}

// A list of names, each of which `known` must accept.
YamlWalker::Handler Names(YamlWalker& w, std::vector<std::string>& out, bool (*known)(std::string_view),
                          const std::string& what, const std::string& hint) {
  return [&w, &out, known, what, hint](const YAML::Node& n, const std::string& key) {
    if (!n.IsSequence()) return w.Error(n, key, "must be a list of strings");
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string item = key + "[" + std::to_string(i) + "]";
      if (!n[i].IsScalar()) {
        w.Error(n[i], item, "must be a string");
      } else if (!known(n[i].Scalar())) {
        w.Error(n[i], item, "unknown " + what + " " + Quoted(n[i].Scalar()) + " (" + hint + ")");
      } else {
        out.push_back(n[i].Scalar());
      }
    }
  };
}

std::string VersionName(TlsVersion v) {
  switch (v) {
    case TlsVersion::kTls10: return "TLS10";
    case TlsVersion::kTls11: return "TLS11";
    case TlsVersion::kTls12: return "TLS12";
    case TlsVersion::kTls13: return "TLS13";
  }
  return "?";
}

void ParseTls(YamlWalker& w, const YAML::Node& n, const std::string& dir, WebConfigFile& c) {
  TlsServerConfig t;
  const std::string p = std::string(kTls) + ".";
  const size_t errors_before = w.error_count();
  w.Map(n, kTls,
        {{"cert_file", w.Path(t.cert_file, dir)},
         {"key_file", w.Path(t.key_file, dir)},
         {"client_ca_file", w.Path(t.client_ca_file, dir)},
         {"cert", w.String(t.cert)},
         {"key", w.String(t.key)},
         {"client_ca", w.String(t.client_ca)},
         {"client_auth_type", ClientAuth(w, t.client_auth_type)},
         {"min_version", Version(w, t.min_version)},
         {"max_version", Version(w, t.max_version)},
         {"cipher_suites", Names(w, t.cipher_suites, IsKnownCipherSuite, "cipher",
                                 "the names of Go's tls.CipherSuites(), e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")},
         {"prefer_server_cipher_suites", w.Bool(t.prefer_server_cipher_suites)},
         {"curve_preferences",
          Names(w, t.curve_preferences, IsKnownCurve, "curve", "use CurveP256, CurveP384, CurveP521 or X25519")},
         {"client_allowed_sans", w.StringList(t.client_allowed_sans)}});
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    if (kv.first.IsScalar()) t.where[kv.first.Scalar()] = w.Where(kv.first);
  }
  w.OneOf(n, kTls, "cert", "cert_file");
  w.OneOf(n, kTls, "key", "key_file");
  w.OneOf(n, kTls, "client_ca", "client_ca_file");
  if (w.error_count() != errors_before) return;  // what follows would be a consequence

  const bool has_cert = !t.cert_file.empty() || !t.cert.empty();
  const bool has_key = !t.key_file.empty() || !t.key.empty();
  const bool has_ca = !t.client_ca_file.empty() || !t.client_ca.empty();
  // exporter-toolkit's TLSConfig.IsEnabled. Without it, exporter-toolkit serves plain HTTP and
  // ignores the rest of the section silently; here that is an error.
  const bool enabled = has_cert || has_key || has_ca || t.where.count("client_auth_type");
  if (!enabled) {
    if (!t.where.empty()) {
      w.Error(n, kTls, "no certificate: set cert_file and key_file to serve TLS, or remove " + std::string(kTls));
    }
    return;
  }
  if (!has_cert) w.Error(n, kTls, "missing one of cert or cert_file");
  if (!has_key) w.Error(n, kTls, "missing one of key or key_file");
  const bool verifies = t.client_auth_type == ClientAuthType::kVerifyClientCertIfGiven ||
                        t.client_auth_type == ClientAuthType::kRequireAndVerifyClientCert;
  if (has_ca && t.client_auth_type == ClientAuthType::kNoClientCert) {
    w.Error(YamlWalker::At(n, t.client_ca.empty() ? "client_ca_file" : "client_ca"),
            p + (t.client_ca.empty() ? "client_ca_file" : "client_ca"),
            "client CA's have been configured without a Client Auth Policy (set client_auth_type, e.g. "
            "RequireAndVerifyClientCert)");
  }
  // Go would verify against the system's roots: any publicly issued certificate would do.
  if (verifies && !has_ca) {
    w.Error(YamlWalker::At(n, "client_auth_type"), p + "client_auth_type",
            "verifying client certificates needs client_ca_file (or client_ca): the CA they must be issued by");
  }
  if (!t.client_allowed_sans.empty() && t.client_auth_type == ClientAuthType::kNoClientCert) {
    w.Error(YamlWalker::At(n, "client_allowed_sans"), p + "client_allowed_sans",
            "needs a client_auth_type that asks for a certificate, e.g. RequireAndVerifyClientCert");
  }
  if (t.max_version < t.min_version) {
    w.Error(YamlWalker::At(n, "max_version"), p + "max_version",
            VersionName(t.max_version) + " is lower than min_version " + VersionName(t.min_version));
  }
  c.tls = std::move(t);
}

}  // namespace

std::vector<std::string> WebConfigFile::Files() const {
  std::vector<std::string> files;
  if (tls) {
    for (const std::string* f : {&tls->cert_file, &tls->key_file, &tls->client_ca_file}) {
      if (!f->empty()) files.push_back(*f);
    }
  }
  return files;
}

void ParseWebConfigYaml(const std::string& text, const std::string& source_name, const std::string& dir,
                        WebConfigFile& config, ConfigErrors& errors) {
  YAML::Node root;
  if (!LoadStrictYaml(text, source_name, root, errors)) return;
  YamlWalker w(source_name, errors);
  bool http2 = true;  // accepted for compatibility; the server speaks HTTP/1.1 only
  w.Map(root, "",
        {{kTls, [&](const YAML::Node& n, const std::string&) { ParseTls(w, n, dir, config); }},
         {"http_server_config",
          [&](const YAML::Node& n, const std::string& key) {
            w.Map(n, key,
                  {{"http2", w.Bool(http2)},
                   {"headers", [&](const YAML::Node& h, const std::string& k) { ParseHeaders(w, h, k, config); }}});
          }},
         {"basic_auth_users", [&](const YAML::Node& n, const std::string& key) { ParseUsers(w, n, key, config); }},
         {"rate_limit", [&](const YAML::Node& n, const std::string& key) {
            w.Error(n, key, "not supported by genesys_exporter (limit request rates in a reverse proxy)");
          }}});
}

ConfigErrors ReadWebConfigFile(const std::string& path, WebConfigFile& config) {
  ConfigErrors errors;
  const Result<std::string> text = ReadFileBounded(path, kMaxWebConfigBytes);
  if (!text) {
    errors.messages.push_back("--web.config.file: " + text.error());
    return errors;
  }
  ParseWebConfigYaml(*text, path, std::filesystem::path(path).parent_path().string(), config, errors);
  return errors;
}

}  // namespace gx
