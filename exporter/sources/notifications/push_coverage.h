// Which poll sources a topic plan covers whole: every trunk (status and metrics) or
// every edge (status; metrics when their topics fit too) of the inventory has a topic, or
// every followed user has a station topic (stations: v2.users.{id}.station carries the
// association; the station entities it names are configuration, which the stations poller
// reads on the resync and when a pushed association names one it has not read).
// While the stream is healthy those sources are polled only by the periodic resync.
// Phones are never covered whole (the topic ceiling is below a large org). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/sources/notifications/topic_plan.h"
#include "exporter/state/telephony_state.h"

namespace gx {

std::vector<std::string> FullyPushedSources(const TopicPlan& plan, const TelephonyData& data);

// `covered` without the sources of `rejected` topics (the service refused them).
std::vector<std::string> WithoutRejected(std::vector<std::string> covered, const std::vector<std::string>& rejected);

}  // namespace gx
