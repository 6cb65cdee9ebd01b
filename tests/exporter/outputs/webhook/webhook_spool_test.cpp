// The spool's file housekeeping: canonical names, files moved aside and counted, temp
// files, and the in-memory fallback when the folder cannot be written.
#include "exporter/outputs/webhook/webhook_spool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

class WebhookSpoolTest : public ::testing::Test {
 protected:
  // Writes one item through a spool and returns its file's content.
  std::string OneFile(const std::string& id) {
    testing::ScratchDir scratch("gx-spool-item");
    std::string text;
    {
      WebhookSpool s(scratch.path().string(), 1 << 20);
      SpoolItem item;
      item.id = id;
      item.kind = "notification";
      item.body = "{\"id\":\"" + id + "\"}";
      const SpoolAppendResult appended = s.Append(item);
      EXPECT_EQ(appended.outcome, SpoolAppend::kDurable) << appended.status.error();
      std::ifstream in(s.PathOf(item.seq), std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return text;
  }
  void Put(const std::string& name, const std::string& text) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::set<std::string> Names() {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.insert(e.path().filename().string());
    return out;
  }

  testing::ScratchDir scratch_{"gx-spool", false};
  const fs::path& dir_ = scratch_.path();
};

TEST_F(WebhookSpoolTest, NonCanonicalNameIsRenamedAndRemovedAfterDelivery) {
  Put("5.msg", OneFile("msg_five"));
  WebhookSpool s(dir_.string(), 1 << 20);
  ASSERT_EQ(s.items().size(), 1u);
  EXPECT_EQ(s.items().front().seq, 5u);
  EXPECT_EQ(Names(), (std::set<std::string>{"00000000000000000005.msg"}));
  EXPECT_TRUE(s.Remove(s.items().front()).ok());
  EXPECT_TRUE(Names().empty());
  EXPECT_TRUE(s.load_drops().empty());
}

TEST_F(WebhookSpoolTest, DuplicateAndForeignNamesAreMovedAsideAndCounted) {
  Put("00000000000000000005.msg", OneFile("msg_canonical"));
  Put("0005.msg", OneFile("msg_duplicate"));
  Put("+6.msg", OneFile("msg_plus"));
  Put("abc.msg", OneFile("msg_abc"));
  Put("99999999999999999999.msg", OneFile("msg_huge"));  // would make seq + 1 wrap
  Put("00000000000000000007.msg", "gx-webhook-spool 1\ntorn");
  Put("00000000000000000008.msg.tmp", "half written");
  WebhookSpool s(dir_.string(), 1 << 20);
  ASSERT_EQ(s.items().size(), 1u);
  EXPECT_EQ(s.items().front().id, "msg_canonical");
  EXPECT_EQ(s.load_drops().at(kDropBadName), 4u);
  EXPECT_EQ(s.load_drops().at(kDropDamaged), 1u);
  EXPECT_EQ(Names(), (std::set<std::string>{"00000000000000000005.msg", "0005.msg.rejected", "+6.msg.rejected",
                                             "abc.msg.rejected", "99999999999999999999.msg.rejected",
                                             "00000000000000000007.msg.damaged"}));
  // A restart does not count them again.
  WebhookSpool again(dir_.string(), 1 << 20);
  EXPECT_TRUE(again.load_drops().empty());
  EXPECT_EQ(again.items().size(), 1u);
}

TEST_F(WebhookSpoolTest, FileLargerThanTheBoundIsNotRead) {
  Put("00000000000000000001.msg", OneFile("msg_one") + std::string(8192, 'x'));
  WebhookSpool s(dir_.string(), 4096);
  EXPECT_TRUE(s.items().empty());
  EXPECT_EQ(s.load_drops().at(kDropDamaged), 1u);
}

TEST_F(WebhookSpoolTest, UnwritableFolderQueuesInMemoryWithinTheBound) {
  WebhookSpool s("/dev/null/spool", 4096);
  EXPECT_NE(s.status().error().find("/dev/null is not a directory"), std::string::npos) << s.status().error();
  int memory = 0, full = 0;
  for (int i = 0; i < 50; ++i) {
    SpoolItem item;
    item.id = "msg_" + std::to_string(i);
    item.kind = "notification";
    item.body = std::string(200, 'b');
    const SpoolAppendResult r = s.Append(item);
    EXPECT_FALSE(r.status.ok());
    EXPECT_FALSE(r.status.error().empty());
    if (r.outcome == SpoolAppend::kMemoryOnly) {
      ++memory;
      EXPECT_NE(r.status.error().find("/dev/null is not a directory"), std::string::npos) << r.status.error();
    } else if (r.outcome == SpoolAppend::kFull) {
      ++full;
      EXPECT_EQ(r.status.error().rfind("spool full (", 0), 0u) << r.status.error();
    }
  }
  EXPECT_GT(memory, 0);
  EXPECT_GT(full, 0);  // bounded: memory is no way around spool_max_bytes
  EXPECT_LE(s.bytes(), 4096u);
  EXPECT_EQ(s.memory_only(), static_cast<std::uint64_t>(memory));
  while (!s.items().empty()) EXPECT_TRUE(s.Remove(s.items().front()).ok());
  EXPECT_EQ(s.memory_only(), 0u);
}

TEST_F(WebhookSpoolTest, FilesAreWrittenPrivateAndNoTempFileStays) {
  WebhookSpool s(dir_.string(), 1 << 20);
  SpoolItem item;
  item.id = "msg_1";
  item.kind = "notification";
  item.body = "{}";
  const SpoolAppendResult appended = s.Append(item);
  ASSERT_EQ(appended.outcome, SpoolAppend::kDurable) << appended.status.error();
  EXPECT_TRUE(appended.status.ok());
  EXPECT_TRUE(s.status().ok());
  EXPECT_EQ(Names(), (std::set<std::string>{"00000000000000000001.msg"}));
  EXPECT_EQ(fs::status(s.PathOf(1)).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(dir_).permissions() & fs::perms::all, fs::perms::owner_all);
}

}  // namespace
}  // namespace gx
