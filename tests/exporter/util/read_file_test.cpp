#include "exporter/util/read_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

TEST(ReadFileBounded, ReadsAWholeFile) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "a.txt").string();
  std::ofstream(path) << "hello\nworld\n";
  std::string content = "stale";
  EXPECT_EQ(ReadFileBounded(path, 100, content), "");
  EXPECT_EQ(content, "hello\nworld\n");
}

TEST(ReadFileBounded, AFileOfExactlyTheBoundIsRead) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "a.txt").string();
  std::ofstream(path) << std::string(40000, 'x');
  std::string content;
  EXPECT_EQ(ReadFileBounded(path, 40000, content), "");
  EXPECT_EQ(content.size(), 40000u);
  EXPECT_EQ(ReadFileBounded(path, 39999, content), path + " is larger than 39999 bytes");
  EXPECT_EQ(content, "");
}

TEST(ReadFileBounded, AMissingFileSaysWhy) {
  std::string content;
  EXPECT_EQ(ReadFileBounded("/nonexistent/x", 10, content), "cannot read /nonexistent/x: No such file or directory");
}

TEST(ReadFileBounded, ADeviceThatNeverEndsIsRefused) {
  std::string content;
  EXPECT_EQ(ReadFileBounded("/dev/zero", 1024, content), "/dev/zero is larger than 1024 bytes");
}

TEST(ReadFileBounded, ADirectoryIsAnError) {
  testing::ScratchDir dir("gx-read-file");
  std::string content;
  EXPECT_EQ(ReadFileBounded(dir.path().string(), 10, content),
            "cannot read " + dir.path().string() + ": Is a directory");
}

}  // namespace
}  // namespace gx
