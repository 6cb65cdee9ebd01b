#include "exporter/util/read_file.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>

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
  EXPECT_EQ(ReadFileBounded("/dev/zero", 1024, content), "cannot read /dev/zero: not a regular file");
}

TEST(ReadFileBounded, AFifoIsRefusedAtOnceInsteadOfWaitingForAWriter) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "cert.pem").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto result = std::async(std::launch::async, [&] {
    std::string content;
    return ReadFileBounded(path, 1024, content);
  });
  const bool answered = result.wait_for(std::chrono::seconds(10)) == std::future_status::ready;  // a hang detector
  if (!answered) {
    // Releases the reader blocked in open(): a writer comes and goes.
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
    ::close(fd);
  }
  EXPECT_TRUE(answered) << "the read waited for a writer of the FIFO";
  EXPECT_EQ(result.get(), "cannot read " + path + ": not a regular file");
}

TEST(ReadFileBounded, AFileThatGrowsWhileReadIsBoundedToo) {
  // /proc files say size 0 and have content: read to the end, as a regular file.
  std::string content;
  EXPECT_EQ(ReadFileBounded("/proc/self/status", 1 << 20, content), "");
  EXPECT_NE(content.find("Name:"), std::string::npos);
  EXPECT_EQ(ReadFileBounded("/proc/self/status", 10, content), "/proc/self/status is larger than 10 bytes");
}

TEST(ReadFileBounded, ADirectoryIsAnError) {
  testing::ScratchDir dir("gx-read-file");
  std::string content;
  EXPECT_EQ(ReadFileBounded(dir.path().string(), 10, content),
            "cannot read " + dir.path().string() + ": Is a directory");
}

}  // namespace
}  // namespace gx
