// Followed users: registration of the phone behind each user's associated station.
#include <algorithm>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

std::string JoinCodecs(const std::vector<Atom>& codecs) {
  std::string out;
  for (const auto& c : codecs) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

}  // namespace

void CollectUsers(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  constexpr const char* kCached =
      " Cached state: station refreshed by polling (stations collector, default every 300s) or pushed; phone "
      "status by the phones collector.";
  auto registered = Gauge("genesys_user_registered",
                          std::string("1 when the phone of the user's associated station is registered; 0 when it is "
                                      "not, or when no station is associated.") + kCached);
  auto station_info = Gauge("genesys_user_station_info",
                            std::string("The station associated with a followed user; the value is always 1.") +
                                kCached);
  auto phone_info = Gauge("genesys_user_phone_info",
                          std::string("The phone behind a followed user's station, with its codec preference order "
                                      "(capabilities.mediaCodecs); the value is always 1.") + kCached);
  const auto phones_of_users = t.PhonesOfUsers();
  for (const auto& [user_id, user] : t.users) {  // std::map: ordered by id
    if (!user.known) continue;  // not read yet: unknown, no series
    if (user.station.station_id.empty()) {
      registered.Add({{"user_id", user_id}}, 0);
      continue;
    }
    station_info.Add({{"user_id", user_id},
                      {"station_id", user.station.station_id},
                      {"station_name", user.station.station_name},
                      {"station_type", user.station.station_type}},
                     1);
    auto found = phones_of_users.find(user_id);
    const PhoneEntry* phone = found == phones_of_users.end() ? nullptr : found->second;
    if (!phone) {
      // Until the phones inventory has loaded we cannot tell.
      if (t.phones_loaded) registered.Add({{"user_id", user_id}}, 0);
      continue;
    }
    registered.Add({{"user_id", user_id}}, PhoneRegistered(phone->phone) ? 1 : 0);
    phone_info.Add({{"user_id", user_id},
                    {"phone_id", phone->phone.id},
                    {"phone_name", phone->phone.name},
                    {"media_codecs", JoinCodecs(phone->phone.media_codecs)}},
                   1);
  }
  registered.MoveTo(out);
  station_info.MoveTo(out);
  phone_info.MoveTo(out);
}

}  // namespace gx
