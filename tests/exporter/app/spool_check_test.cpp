#include "exporter/app/spool_check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

class SpoolCheckTest : public ::testing::Test {
 protected:
  testing::ScratchDir scratch_{"gx-spoolcheck", false};
  const fs::path& dir_ = scratch_.path();
};

TEST_F(SpoolCheckTest, CreatesTheFolderAndItsParentsPrivate) {
  AlertingConfig a;
  a.spool_dir = (dir_ / "lib" / "spool").string();
  a.state_file = a.spool_dir + "/alerts.state";
  EXPECT_TRUE(CheckSpoolFolders(a).empty());
  for (const auto& p : {dir_, dir_ / "lib", dir_ / "lib" / "spool"}) {
    ASSERT_TRUE(fs::is_directory(p)) << p;
    EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms::owner_all) << p;
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "lib" / "spool"));  // the probe is gone
}

TEST_F(SpoolCheckTest, AFolderThatCannotBeCreatedIsNamedWithItsKey) {
  AlertingConfig a;
  a.spool_dir = "/dev/null/spool";
  a.state_file = a.spool_dir + "/alerts.state";
  const auto errors = CheckSpoolFolders(a);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "alerting.spool_dir: create directory /dev/null/spool: /dev/null is not a directory (webhook "
            "notifications and alert state would not be durable)");
}

TEST_F(SpoolCheckTest, AFileWhereTheFolderShouldBe) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "spool") << "x";
  AlertingConfig a;
  a.spool_dir = (dir_ / "spool").string();
  a.state_file = (dir_ / "elsewhere" / "x" / "alerts.state").string();
  std::ofstream(dir_ / "elsewhere") << "x";
  const auto errors = CheckSpoolFolders(a);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("alerting.spool_dir: "), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("is not a directory"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("alerting.state_file: "), std::string::npos) << errors[1];
}

TEST_F(SpoolCheckTest, NothingToCheckWhenAlertingIsOff) {
  AlertingConfig a;
  a.enabled = false;
  a.spool_dir = "/dev/null/spool";
  EXPECT_TRUE(CheckSpoolFolders(a).empty());
}

}  // namespace
}  // namespace gx
