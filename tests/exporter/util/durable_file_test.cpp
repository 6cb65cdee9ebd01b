#include "exporter/util/durable_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(DurableFileTest, MakeDirectoriesCreatesPrivateParents) {
  testing::ScratchDir scratch("gx-durable", false);
  const fs::path deep = scratch.path() / "a" / "b" / "c";
  EXPECT_TRUE(MakeDirectories(deep.string() + "/").ok());
  EXPECT_TRUE(MakeDirectories(deep.string()).ok());  // an existing folder is fine
  for (const auto& p : {scratch.path(), scratch.path() / "a", scratch.path() / "a" / "b", deep}) {
    EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms::owner_all) << p;
  }
}

TEST(DurableFileTest, MakeDirectoriesNamesWhatIsInTheWay) {
  EXPECT_EQ(MakeDirectories("/dev/null/x/y").error(), "create directory /dev/null/x/y: /dev/null is not a directory");
  EXPECT_EQ(MakeDirectories("").error(), "empty directory name");
}

TEST(DurableFileTest, WriteFileAtomicallyReplacesAndLeavesNoTempFile) {
  testing::ScratchDir scratch("gx-durable");
  const fs::path f = scratch.path() / "state";
  EXPECT_TRUE(WriteFileAtomically(f.string(), "one").ok());
  EXPECT_TRUE(WriteFileAtomically(f.string(), "two").ok());
  EXPECT_EQ(Read(f), "two");
  EXPECT_FALSE(fs::exists(f.string() + ".tmp"));
  EXPECT_EQ(fs::status(f).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

TEST(DurableFileTest, AFailedRenameRemovesTheTempFile) {
  testing::ScratchDir scratch("gx-durable");
  const fs::path target = scratch.path() / "busy";
  fs::create_directories(target / "child");
  const std::string err = WriteFileAtomically(target.string(), "data").error();
  EXPECT_EQ(err.rfind("rename " + target.string() + ".tmp: ", 0), 0u) << err;
  EXPECT_FALSE(fs::exists(target.string() + ".tmp"));
}

TEST(DurableFileTest, AppendLineDurablyAppends) {
  testing::ScratchDir scratch("gx-durable");
  const fs::path f = scratch.path() / "dead.jsonl";
  EXPECT_TRUE(AppendLineDurably(f.string(), "{\"a\":1}").ok());
  EXPECT_TRUE(AppendLineDurably(f.string(), "{\"a\":2}").ok());
  EXPECT_EQ(Read(f), "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(AppendLineDurably("/dev/null/x.jsonl", "x").error(), "open /dev/null/x.jsonl: Not a directory");
}

TEST(DurableFileTest, ProbeWritableLeavesNothingBehind) {
  testing::ScratchDir scratch("gx-durable");
  EXPECT_TRUE(ProbeWritable(scratch.path().string()).ok());
  EXPECT_TRUE(fs::is_empty(scratch.path()));
  EXPECT_NE(ProbeWritable((scratch.path() / "missing").string()).error().find("No such file or directory"), std::string::npos);
}

}  // namespace
}  // namespace gx
