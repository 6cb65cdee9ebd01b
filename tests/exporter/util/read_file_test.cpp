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

// The error of a read that must fail ("" if it did not).
std::string ErrorOf(const std::string& path, std::size_t max_bytes) {
  const Result<std::string> read = ReadFileBounded(path, max_bytes);
  return read.ok() ? "" : read.error();
}

TEST(ReadFileBounded, ReadsAWholeFile) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "a.txt").string();
  std::ofstream(path) << "hello\nworld\n";
  const Result<std::string> read = ReadFileBounded(path, 100);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, "hello\nworld\n");
}

TEST(ReadFileBounded, AFileOfExactlyTheBoundIsRead) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "a.txt").string();
  std::ofstream(path) << std::string(40000, 'x');
  const Result<std::string> read = ReadFileBounded(path, 40000);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->size(), 40000u);
  EXPECT_EQ(ErrorOf(path, 39999), path + " is larger than 39999 bytes");
}

TEST(ReadFileBounded, AnEmptyFileIsAnEmptyText) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "empty").string();
  std::ofstream{path};
  const Result<std::string> read = ReadFileBounded(path, 10);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, "");
}

TEST(ReadFileBounded, AMissingFileSaysWhy) {
  EXPECT_EQ(ErrorOf("/nonexistent/x", 10), "cannot read /nonexistent/x: No such file or directory");
}

TEST(ReadFileBounded, ADeviceThatNeverEndsIsRefused) {
  EXPECT_EQ(ErrorOf("/dev/zero", 1024), "cannot read /dev/zero: not a regular file");
}

TEST(ReadFileBounded, AFifoIsRefusedAtOnceInsteadOfWaitingForAWriter) {
  testing::ScratchDir dir("gx-read-file");
  const std::string path = (dir.path() / "cert.pem").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto result = std::async(std::launch::async, [&] { return ErrorOf(path, 1024); });
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
  const Result<std::string> read = ReadFileBounded("/proc/self/status", 1 << 20);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_NE(read->find("Name:"), std::string::npos);
  EXPECT_EQ(ErrorOf("/proc/self/status", 10), "/proc/self/status is larger than 10 bytes");
}

TEST(ReadFileBounded, ADirectoryIsAnError) {
  testing::ScratchDir dir("gx-read-file");
  EXPECT_EQ(ErrorOf(dir.path().string(), 10), "cannot read " + dir.path().string() + ": Is a directory");
}

}  // namespace
}  // namespace gx
