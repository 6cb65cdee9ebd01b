// One TLS probe against a loopback server (P-256 chain of two, TLS 1.3), with and
// without SIP OPTIONS: the cost per target of a probe cycle, network aside.
#include <benchmark/benchmark.h>

#include "exporter/sources/tls/tls_probe.h"
#include "tests/exporter/sources/tls/test_pki.h"

namespace {

using namespace gx::testpki;

void BM_ProbeTls(benchmark::State& state) {
  const bool sip = state.range(0) != 0;
  KeyPtr root_key = NewKey();
  CertPtr root = MakeCert({"Bench Root", "01", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z", true, {}, {}},
                          root_key.get());
  KeyPtr inter_key = NewKey();
  CertPtr inter = MakeCert({"Bench Inter", "02", "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", true, {}, {}},
                           inter_key.get(), root.get(), root_key.get());
  KeyPtr leaf_key = NewKey();
  CertPtr leaf = MakeCert({"sip.bench.example", "03", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false,
                           {"sip.bench.example"}, {}},
                          leaf_key.get(), inter.get(), inter_key.get());
  TempDir dir;
  TestServer::Options o;
  o.leaf = leaf;
  o.key = leaf_key;
  o.chain = {inter};
  if (sip) o.sip_response = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  TestServer server(o);
  gx::TlsTarget target;
  target.host = "127.0.0.1";
  target.port = server.port();
  target.server_name = "sip.bench.example";
  gx::tls::TlsProbeSettings settings;
  settings.ca_file = dir.Write("root.pem", Pem(root.get()));
  settings.sip_options = sip;
  gx::ManualClock clock(1780272000LL * gx::kNanosPerSecond);
  for (auto _ : state) {
    auto r = gx::tls::ProbeTls(target, settings, std::chrono::steady_clock::now() + std::chrono::seconds(10), clock);
    if (!r.success) state.SkipWithError(("probe failed: " + r.error + r.verify_result).c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ProbeTls)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
