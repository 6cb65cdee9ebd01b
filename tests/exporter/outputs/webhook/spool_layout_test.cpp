#include "exporter/outputs/webhook/spool_layout.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

TEST(SpoolLayoutTest, NamesThatOnceCollidedGetTheirOwnFolders) {
  EXPECT_EQ(SpoolFolderName("ops", 0), "ops-0");  // plain names keep their old folder
  EXPECT_EQ(SpoolFolderName("team-a", 1), "team-a-1");
  EXPECT_EQ(SpoolFolderName("ops.x", 0), "ops_2ex-0");
  EXPECT_EQ(SpoolFolderName("ops_x", 0), "ops_5fx-0");
  EXPECT_EQ(SpoolFolderName("", 0), "_-0");
  EXPECT_EQ(EncodeSpoolName("../etc"), "_2e_2e_2fetc");
  EXPECT_EQ(DeadLetterFileName("ops.x"), "ops_2ex.dead-letter.jsonl");
}

// Injective by construction; checked exhaustively over the troublesome bytes.
TEST(SpoolLayoutTest, EveryNameUpToFourBytesHasItsOwnFolder) {
  const std::string alphabet = {'a', '.', '_', '-', '/', '0', '\xc3', ' '};
  std::vector<std::string> names = {""};
  for (size_t start = 0, len = 0; len < 4; ++len) {
    const size_t end = names.size();
    for (size_t i = start; i < end; ++i) {
      for (char c : alphabet) names.push_back(names[i] + c);
    }
    start = end;
  }
  std::set<std::string> folders, files;
  for (const auto& n : names) {
    for (int i = 0; i < 3; ++i) folders.insert(SpoolFolderName(n, i));
    files.insert(DeadLetterFileName(n));
    const std::string enc = EncodeSpoolName(n);
    EXPECT_EQ(enc.find_first_of("./"), std::string::npos) << n;
  }
  EXPECT_EQ(folders.size(), names.size() * 3);
  EXPECT_EQ(files.size(), names.size());
}

class SpoolMigrationTest : public ::testing::Test {
 protected:  static ReceiverConfig Receiver(const std::string& name) {
    ReceiverConfig r;
    r.name = name;
    r.urls = {"http://127.0.0.1:1/hook"};
    return r;
  }
  testing::ScratchDir scratch_{"gx-layout"};
  const fs::path& dir_ = scratch_.path();
};

TEST_F(SpoolMigrationTest, AnOldFolderOfOneReceiverMovesToTheNewName) {
  fs::create_directories(dir_ / "ops_team-0");
  std::ofstream(dir_ / "ops_team-0" / "00000000000000000001.msg") << "queued";
  std::ofstream(dir_ / "ops_team.dead-letter.jsonl") << "{}\n";
  MigrateLegacySpools(dir_.string(), {Receiver("ops team"), Receiver("other")});
  EXPECT_FALSE(fs::exists(dir_ / "ops_team-0"));
  EXPECT_TRUE(fs::exists(dir_ / "ops_20team-0" / "00000000000000000001.msg"));
  EXPECT_TRUE(fs::exists(dir_ / "ops_20team.dead-letter.jsonl"));
}

TEST_F(SpoolMigrationTest, AnOldFolderThatTwoReceiversSharedStaysWhereItIs) {
  fs::create_directories(dir_ / "ops_x-0");
  MigrateLegacySpools(dir_.string(), {Receiver("ops.x"), Receiver("ops_x")});
  EXPECT_TRUE(fs::exists(dir_ / "ops_x-0"));
  EXPECT_FALSE(fs::exists(dir_ / "ops_2ex-0"));
  EXPECT_FALSE(fs::exists(dir_ / "ops_5fx-0"));
}

TEST_F(SpoolMigrationTest, NeverOverwritesANewFolder) {
  fs::create_directories(dir_ / "a_b-0");
  fs::create_directories(dir_ / "a_2eb-0");
  std::ofstream(dir_ / "a_2eb-0" / "00000000000000000001.msg") << "new";
  MigrateLegacySpools(dir_.string(), {Receiver("a.b")});
  EXPECT_TRUE(fs::exists(dir_ / "a_b-0"));
  EXPECT_TRUE(fs::exists(dir_ / "a_2eb-0" / "00000000000000000001.msg"));
}

}  // namespace
}  // namespace gx
