#include "exporter/util/base64.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, DecodesWhatItEncodes) {
  for (std::string s : {"", "f", "fo", "foo", "user:pa:ss", "\x01\x02\xff"}) {
    EXPECT_EQ(DecodeBase64Strict(Base64Encode(s)), s) << s;
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(DecodeBase64Strict(Base64Encode(all)), all);
}

TEST(Base64, RefusesWhatIsNotTheCanonicalEncoding) {
  for (const char* bad : {
           "Zg",        // no padding
           "Zg=",       // short padding
           "Zg===",     // too much
           "Z===",      // a lone character
           "Zh==",      // unused bits set: "Zg==" is the only spelling of "f"
           "Zm9=",      // likewise for "fo"
           "Zm 9v",     // a space
           "Zm9v\n",    // a line break
           "Zm=v",      // padding in the middle
           "Zm9v====",  // a block of padding
           "Zm-v",      // the URL alphabet
           "Zm_v",
       }) {
    EXPECT_EQ(DecodeBase64Strict(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace gx
