// Test helper: decodes a gzip body that must be one member and nothing after it, as
// `curl --compressed` reads it (it stops after the first member).
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace gx::testing {

inline std::string Gunzip(const std::string& in) {
  std::string out;
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_STREAM_END) {
      EXPECT_EQ(zs.avail_in, 0u) << "bytes after the first gzip member";
      break;
    }
    if (rc != Z_OK) {
      ADD_FAILURE() << "inflate: " << rc;
      break;
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace gx::testing
