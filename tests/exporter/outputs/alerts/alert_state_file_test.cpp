#include "exporter/outputs/alerts/alert_state_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

class AlertStateFileTest : public ::testing::Test {
 protected:
  static std::vector<PersistedAlert> OneAlert() {
    PersistedAlert p;
    p.alert.labels = {{"alertname", "edge_offline"}, {"edge_id", "e1"}};
    p.alert.fingerprint = AlertFingerprint(p.alert.labels);
    p.alert.status = AlertStatus::kFiring;
    p.alert.severity = "critical";
    p.alert.facts.tls_valid = true;
    p.notified_at = 42;
    return {p};
  }
  testing::ScratchDir scratch_{"gx-state"};
  const fs::path& dir_ = scratch_.path();
};

TEST_F(AlertStateFileTest, SavesAndLoadsWithoutATempFile) {
  const std::string path = (dir_ / "alerts.state").string();
  ASSERT_TRUE(SaveAlertState(path, OneAlert()).ok());
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto loaded = LoadAlertState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ASSERT_EQ(loaded->alerts.size(), 1u);
  EXPECT_EQ(loaded->damaged_lines, 0);
  EXPECT_EQ(loaded->alerts.front().notified_at, 42);
  EXPECT_EQ(loaded->alerts.front().alert.facts.tls_valid, true);
}

// A failed write once left alerts.state.tmp behind.
TEST_F(AlertStateFileTest, AFailedSaveLeavesNoTempFile) {
  const fs::path path = dir_ / "alerts.state";
  fs::create_directories(path / "in-the-way");  // rename(tmp, path) fails: a non-empty directory
  const std::string err = SaveAlertState(path.string(), OneAlert()).error();
  EXPECT_NE(err.find("rename"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST_F(AlertStateFileTest, AMissingFolderIsAnError) {
  const std::string err = SaveAlertState((dir_ / "missing" / "alerts.state").string(), OneAlert()).error();
  EXPECT_NE(err.find("No such file or directory"), std::string::npos) << err;
}

TEST_F(AlertStateFileTest, LoadRemovesAStaleTempFile) {
  const std::string path = (dir_ / "alerts.state").string();
  ASSERT_TRUE(SaveAlertState(path, OneAlert()).ok());
  std::ofstream(path + ".tmp") << "gx-alert-state 1\nhalf a li";  // a crash mid-save
  auto loaded = LoadAlertState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->alerts.size(), 1u);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(AlertStateFileTest, AMissingFileHoldsNoAlerts) {
  auto loaded = LoadAlertState((dir_ / "never-saved.state").string());
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_TRUE(loaded->alerts.empty());
  EXPECT_EQ(loaded->damaged_lines, 0);
}

TEST_F(AlertStateFileTest, AnotherKindOfFileIsRefused) {
  const std::string path = (dir_ / "alerts.state").string();
  std::ofstream(path) << "{\"alerts\": []}\n";
  auto loaded = LoadAlertState(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error(), path + ": not an alert state file");
}

TEST_F(AlertStateFileTest, DamagedLinesAreSkippedAndCounted) {
  const std::string path = (dir_ / "alerts.state").string();
  ASSERT_TRUE(SaveAlertState(path, OneAlert()).ok());
  std::ofstream(path, std::ios::app) << "half a line\nx\tfiring\tcritical\tnot-a-number\t0\t0\t\t\t\t-\t\t\t-\n";
  auto loaded = LoadAlertState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->alerts.size(), 1u);
  EXPECT_EQ(loaded->damaged_lines, 2);
}

// A damaged state file was read whole, however large it had grown.
TEST_F(AlertStateFileTest, AnOversizedFileIsRefusedNotReadWhole) {
  const std::string path = (dir_ / "alerts.state").string();
  ASSERT_TRUE(SaveAlertState(path, OneAlert()).ok());
  fs::resize_file(path, kMaxAlertStateBytes + 1);  // sparse: no 64 MiB written
  auto loaded = LoadAlertState(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().find("more than an alert state file can be"), std::string::npos) << loaded.error();
}

}  // namespace
}  // namespace gx
