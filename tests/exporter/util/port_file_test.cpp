#include "exporter/util/port_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "exporter/util/read_file.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

namespace fs = std::filesystem;

TEST(PortFileTest, OnePortPerLineReplacingTheOldFileAndReadableByOthers) {
  testing::ScratchDir scratch("gx-port-file");
  const fs::path f = scratch.path() / "exporter.port";
  std::ofstream(f) << "9786\n";
  EXPECT_EQ(WritePortFile(f.string(), {41234, 9786}), "");
  std::string text;
  ASSERT_EQ(ReadFileBounded(f.string(), 100, text), "");
  EXPECT_EQ(text, "41234\n9786\n");
  EXPECT_FALSE(fs::exists(f.string() + ".tmp"));
  EXPECT_EQ(fs::status(f).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST(PortFileTest, AWriteThatFailsNamesTheFileAndLeavesNothing) {
  const std::string err = WritePortFile("/dev/null/exporter.port", {9786});
  EXPECT_EQ(err, "open /dev/null/exporter.port.tmp: Not a directory");
}

TEST(PortFileTest, RemoveTakesAStaleFileAndAcceptsAnAbsentOne) {
  testing::ScratchDir scratch("gx-port-file");
  const fs::path f = scratch.path() / "sim.port";
  std::ofstream(f) << "8500\n";
  EXPECT_EQ(RemovePortFile(f.string()), "");
  EXPECT_FALSE(fs::exists(f));
  EXPECT_EQ(RemovePortFile(f.string()), "");  // already gone
  EXPECT_EQ(RemovePortFile("/dev/null/sim.port"), "remove /dev/null/sim.port: Not a directory");
  fs::create_directories(scratch.path() / "a-folder" / "child");
  EXPECT_NE(RemovePortFile((scratch.path() / "a-folder").string()), "");  // never a folder's contents
  EXPECT_TRUE(fs::exists(scratch.path() / "a-folder" / "child"));
}

}  // namespace
}  // namespace gx
