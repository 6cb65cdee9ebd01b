#include "exporter/outputs/alerts/other_conditions.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(OtherConditionsTest, Placeholder) {}

}  // namespace
}  // namespace gx
