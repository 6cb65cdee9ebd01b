// The simulator's random walk: each step may break one thing of each kind (a phone line, a
// phone's status, a trunk proxy's OPTIONS, a trunk's connection, an edge, a trunk's call
// counts), with the scenario's chances, and schedules its recovery 10 to 60 scenario seconds
// later, so that the org stays mostly healthy however long it runs. The same seed gives the
// same walk. Changes go through SimCore's public API; call from one thread (the ticker).
#pragma once

#include <functional>
#include <random>

#include "simulator/scenario.h"

namespace gx::sim {

class SimCore;

// Runs `recovery` after `after_s` scenario seconds.
using ScheduleFn = std::function<void(double after_s, std::function<void()> recovery)>;

void WalkStep(SimCore& core, const RandomWalk& walk, std::mt19937_64& rng, const ScheduleFn& schedule);

}  // namespace gx::sim
