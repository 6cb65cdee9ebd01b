// Test-only: the certificates of a --web.config.file, made at test time (test_pki.h) and
// written to a temporary folder: a CA, a server certificate for localhost issued by it, a
// client certificate issued by it, and a self-signed client certificate no CA vouches for.
#pragma once

#include <string>

#include "tests/exporter/sources/tls/test_pki.h"

namespace gx::testing {

struct WebPki {
  testpki::TempDir dir;
  static testpki::CertSpec Spec(const std::string& cn, const std::string& serial, bool ca,
                                std::vector<std::string> dns, std::vector<std::string> ips) {
    testpki::CertSpec s;
    s.cn = cn;
    s.serial_hex = serial;
    s.not_before = "2020-01-01T00:00:00Z";
    s.not_after = "2099-01-01T00:00:00Z";
    s.ca = ca;
    s.dns = std::move(dns);
    s.ips = std::move(ips);
    return s;
  }

  testpki::KeyPtr ca_key = testpki::NewKey();
  testpki::CertPtr ca = testpki::MakeCert(Spec("GX Test CA", "10", true, {}, {}), ca_key.get());
  testpki::KeyPtr server_key = testpki::NewKey();
  testpki::CertPtr server = testpki::MakeCert(Spec("localhost", "11", false, {"localhost"}, {"127.0.0.1", "::1"}),
                                              server_key.get(), ca.get(), ca_key.get());
  testpki::KeyPtr client_key = testpki::NewKey();
  testpki::CertPtr client = testpki::MakeCert(Spec("scraper", "12", false, {"scraper.example"}, {"10.0.0.7"}),
                                              client_key.get(), ca.get(), ca_key.get());
  testpki::KeyPtr stranger_key = testpki::NewKey();
  testpki::CertPtr stranger =
      testpki::MakeCert(Spec("stranger", "13", false, {"scraper.example"}, {}), stranger_key.get());

  std::string ca_file = dir.Write("ca.crt", testpki::Pem(ca.get()));
  std::string server_cert_file = dir.Write("server.crt", testpki::Pem(server.get()));
  std::string server_key_file = dir.Write("server.key", testpki::KeyPem(server_key.get()));
  std::string client_cert_file = dir.Write("client.crt", testpki::Pem(client.get()));
  std::string client_key_file = dir.Write("client.key", testpki::KeyPem(client_key.get()));
  std::string stranger_cert_file = dir.Write("stranger.crt", testpki::Pem(stranger.get()));
  std::string stranger_key_file = dir.Write("stranger.key", testpki::KeyPem(stranger_key.get()));

  // Writes web.yml in the folder (so that relative names resolve there) and returns its path.
  std::string WriteWebConfig(const std::string& yaml) const { return dir.Write("web.yml", yaml); }
};

}  // namespace gx::testing
