#include "exporter/state/registration.h"

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

const std::string& PhoneSiteLabel(const Phone& phone) {
  static const std::string kNone = "none";
  if (!phone.site.name.empty()) return phone.site.name;
  if (!phone.site.id.empty()) return phone.site.id;
  return kNone;
}

const std::string& PhoneOperationalStatus(const Phone& phone) {
  static const std::string kUnknown = "UNKNOWN";
  if (!phone.status || phone.status->operational_status.empty()) return kUnknown;
  return phone.status->operational_status;
}

}  // namespace gx
