#include "exporter/state/registration.h"

#include "exporter/state/domain_facts.h"

namespace gx {

bool PhoneRegistered(const Phone& phone) {
  if (!phone.status || phone.status->lines.empty()) return false;
  for (const auto& line : phone.status->lines) {
    if (!line.reachable) return false;
  }
  return true;
}

int PhoneLineCount(const Phone& phone) {
  if (phone.status && !phone.status->lines.empty()) return static_cast<int>(phone.status->lines.size());
  return static_cast<int>(phone.line_ids.size());
}

int PhoneReachableLineCount(const Phone& phone) {
  if (!phone.status) return 0;
  int n = 0;
  for (const auto& line : phone.status->lines) n += line.reachable ? 1 : 0;
  return n;
}

const std::string& PhoneSiteLabel(const Phone& phone) { return SiteLabel(phone.site); }

const std::string& PhoneOperationalStatus(const Phone& phone) {
  static const std::string kUnknown = "UNKNOWN";
  if (!phone.status || phone.status->operational_status.empty()) return kUnknown;
  return phone.status->operational_status;
}

}  // namespace gx
