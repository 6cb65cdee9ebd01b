#include "exporter/config/yaml_walker.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(JoinDir, JoinsRelativeNamesOnly) {
  EXPECT_EQ(JoinDir("/etc/gx", "server.crt"), "/etc/gx/server.crt");
  EXPECT_EQ(JoinDir("/etc/gx/", "tls/server.crt"), "/etc/gx/tls/server.crt");
  EXPECT_EQ(JoinDir("/etc/gx", "/abs/server.crt"), "/abs/server.crt");
  EXPECT_EQ(JoinDir("/etc/gx", ""), "");  // unset stays unset
  EXPECT_EQ(JoinDir("", "server.crt"), "server.crt");  // a file in the working folder
}

TEST(YamlWalker, PathJoinsTheFolderAndErrorsNameTheLine) {
  ConfigErrors errors;
  YAML::Node root;
  ASSERT_TRUE(LoadStrictYaml("a: x.pem\nb: [1]\n", "f.yml", root, errors));
  YamlWalker w("f.yml", errors);
  std::string a, b;
  w.Map(root, "", {{"a", w.Path(a, "/d")}, {"b", w.Path(b, "/d")}});
  EXPECT_EQ(a, "/d/x.pem");
  EXPECT_EQ(errors.messages, std::vector<std::string>{"f.yml:2: b: must be a file path"});
  EXPECT_EQ(w.error_count(), 1u);
  EXPECT_EQ(w.Where(root["b"]), "f.yml:2");
}

TEST(YamlWalker, LoadStrictYamlRefusesWhatTheStrictCheckRefuses) {
  ConfigErrors errors;
  YAML::Node root;
  EXPECT_FALSE(LoadStrictYaml("a: 1\na: 2\n", "f.yml", root, errors));
  EXPECT_EQ(errors.messages, std::vector<std::string>{"f.yml:2: a: duplicate key (first on line 1)"});
}

}  // namespace
}  // namespace gx
