#include "exporter/config/seed_environment.h"

#include <algorithm>
#include <string_view>

#include "exporter/config/regions.h"
#include "exporter/config/url_check.h"
#include "exporter/util/text_match.h"
#include "exporter/util/url_redact.h"

namespace gx {
namespace {

// The key WEBHOOK_URL sets (docs/configuration.md).
constexpr const char* kWebhookUrlKey = "alerting.receivers[name=webhook].url";

bool HasSpaceOrControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x21 || c == 0x7f; });
}

// TARGET_USER_ID: one followed user, or several separated by commas -> collection.users.
void ApplyUsers(Config& config, const std::string& value, ConfigErrors& errors) {
  std::vector<std::string> users;
  std::string_view rest = value;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view id = TrimBlanks(rest.substr(0, comma));
    if (id.empty() || HasSpaceOrControl(id)) {
      errors.Add("TARGET_USER_ID", "collection.users",
                 "want a user id, or several separated by commas, got \"" + value + "\"");
      return;
    }
    users.emplace_back(id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  config.collection.users = std::move(users);
}

// SIP_PROXY_HOST: the TLS probe target, host[:port] with 5061 by default -> tls_probes.targets.
void ApplySipProxy(Config& config, const std::string& value, ConfigErrors& errors) {
  const std::string_view host = TrimBlanks(value);
  if (host.empty() || HasSpaceOrControl(host) || host.find_first_of("/@?#") != std::string_view::npos) {
    errors.Add("SIP_PROXY_HOST", "tls_probes.targets",
               "want a host name or host:port (port 5061 when omitted), got \"" + RedactUrl(value) + "\"");
    return;
  }
  if (!config.tls.enabled) {
    errors.Add("SIP_PROXY_HOST", "tls_probes.targets", "is set, but tls_probes.enabled is false in the file");
    return;
  }
  TlsTargetConfig target;
  target.address = std::string(host);
  target.timeout = config.tls.timeout;
  config.tls.targets = {target};
}

// WEBHOOK_URL: the URL of the receiver named "webhook"; a generic one is added if the file has none.
void ApplyWebhook(Config& config, const std::string& value, ConfigErrors& errors) {
  if (const Status url = CheckReceiverUrl(value); !url.ok()) {
    errors.Add("WEBHOOK_URL", kWebhookUrlKey, url.error());
    return;
  }
  if (!config.alerting.enabled) {
    errors.Add("WEBHOOK_URL", kWebhookUrlKey, "is set, but alerting.enabled is false in the file");
    return;
  }
  auto& receivers = config.alerting.receivers;
  auto it = std::find_if(receivers.begin(), receivers.end(),
                         [](const ReceiverConfig& r) { return r.name == kSeedReceiverName; });
  if (it == receivers.end()) {
    ReceiverConfig r;
    r.name = kSeedReceiverName;
    it = receivers.insert(receivers.end(), r);
  }
  it->urls = {value};
}

// GENESYS_SUBDOMAIN: the seed's region, used only when nothing else names one.
void ApplySubdomain(GenesysConfig& g, const std::string& value, ConfigErrors& errors) {
  if (!g.region.empty() || !g.api_url.empty()) return;
  if (auto domain = RegionDomainFromSubdomain(TrimBlanks(value))) {
    g.region = *domain;
    return;
  }
  errors.Add("GENESYS_SUBDOMAIN", "genesys.region",
             "\"" + value +
                 "\" names no Genesys Cloud region; set GENESYS_REGION to a region domain such as "
                 "mypurecloud.com, mypurecloud.ie or usw2.pure.cloud");
}

}  // namespace

void ApplySeedEnvironment(Config& config, const EnvLookup& env, ConfigErrors& errors) {
  if (auto v = env("TARGET_USER_ID")) ApplyUsers(config, *v, errors);
  if (auto v = env("SIP_PROXY_HOST")) ApplySipProxy(config, *v, errors);
  if (auto v = env("WEBHOOK_URL")) ApplyWebhook(config, *v, errors);
  if (auto v = env("GENESYS_SUBDOMAIN")) ApplySubdomain(config.genesys, *v, errors);
}

}  // namespace gx
