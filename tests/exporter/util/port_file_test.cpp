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
  EXPECT_TRUE(WritePortFile(f.string(), {41234, 9786}).ok());
  const Result<std::string> text = ReadFileBounded(f.string(), 100);
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "41234\n9786\n");
  EXPECT_FALSE(fs::exists(f.string() + ".tmp"));
  EXPECT_EQ(fs::status(f).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST(PortFileTest, AWriteThatFailsNamesTheFileAndLeavesNothing) {
  const std::string err = WritePortFile("/dev/null/exporter.port", {9786}).error();
  EXPECT_EQ(err, "open /dev/null/exporter.port.tmp: Not a directory");
}

TEST(PortFileTest, RemoveTakesAStaleFileAndAcceptsAnAbsentOne) {
  testing::ScratchDir scratch("gx-port-file");
  const fs::path f = scratch.path() / "sim.port";
  std::ofstream(f) << "8500\n";
  EXPECT_TRUE(RemovePortFile(f.string()).ok());
  EXPECT_FALSE(fs::exists(f));
  EXPECT_TRUE(RemovePortFile(f.string()).ok());  // already gone
  EXPECT_EQ(RemovePortFile("/dev/null/sim.port").error(), "remove /dev/null/sim.port: Not a directory");
  fs::create_directories(scratch.path() / "a-folder" / "child");
  EXPECT_FALSE(RemovePortFile((scratch.path() / "a-folder").string()).ok());  // never a folder's contents
  EXPECT_TRUE(fs::exists(scratch.path() / "a-folder" / "child"));
}

}  // namespace
}  // namespace gx
