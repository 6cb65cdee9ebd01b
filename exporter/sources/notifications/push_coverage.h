// Which poll collectors a topic plan covers whole: every trunk (status and metrics) or
// every edge (status; metrics when their topics fit too) of the inventory has a topic.
// While the stream is healthy those collectors are polled only by the periodic resync.
// Phones and stations are never covered whole (phones: the topic ceiling is below a
// large org; stations: not pushed). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/sources/notifications/topic_plan.h"
#include "exporter/state/telephony_state.h"

namespace gx {

std::vector<std::string> FullyPushedCollectors(const TopicPlan& plan, const TelephonyData& data);

// `covered` without the collectors of `rejected` topics (the service refused them).
std::vector<std::string> WithoutRejected(std::vector<std::string> covered, const std::vector<std::string>& rejected);

}  // namespace gx
