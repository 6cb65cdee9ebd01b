#include "exporter/util/url_redact.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(RedactUrl, UserInfoIsMasked) {
  EXPECT_EQ(RedactUrl("http://u:PASSWORD@127.0.0.1:8080"), "http://***@127.0.0.1:8080");
  EXPECT_EQ(RedactUrl("https://token-only@host/x"), "https://***@host/x");
  // The last '@' ends the user info: a password may contain '@'.
  EXPECT_EQ(RedactUrl("https://u:p@ss@host"), "https://***@host");
  // No scheme (an invalid URL in an error message) still loses its user info.
  EXPECT_EQ(RedactUrl("u:PASSWORD@host/x"), "***@host/x");
  // An '@' in the path is not user info.
  EXPECT_EQ(RedactUrl("https://host/a@b"), "https://host/a@b");
}

TEST(RedactUrl, TheUserInfoIsMaskedWhereverItRepeats) {
  // Found by tests/fuzz/config_yaml_fuzz.cpp: a URL pasted twice printed its password in
  // the "path" (an invalid api_url in a config error).
  EXPECT_EQ(RedactUrl("http://u:Passw0rd123@127.0.0.1:8080://u:Passw0rd123@127.0.0.1:8080"),
            "http://***@127.0.0.1:8080://***@127.0.0.1:8080");
  EXPECT_EQ(RedactUrl("https://u:Passw0rd123@host/x?next=Passw0rd123"), "https://***@host/x?next=***");
  // A password too short to tell from the rest of the URL only goes with its user.
  EXPECT_EQ(RedactUrl("https://u:pw@host/pw"), "https://***@host/pw");
  // A long one is still masked wherever it repeats, before the "://" too.
  EXPECT_EQ(RedactUrl("x=Passw0rd1:https://:Passw0rd1@host"), "x=***:https://***@host");
  // ... but never across the "://" (found by fuzz_url_redact: the user info "ode:" ate the
  // "ode:" of "Code://", and the hidden path showed "//***@").
  EXPECT_EQ(RedactUrl("??Cdeo=;Code://ode:@", UrlPath::kHide), "??Cdeo=;Code://***@");
}

TEST(RedactUrl, AUserInfoAfterTheAuthorityIsMaskedToo) {
  // Found by tests/fuzz/config_yaml_fuzz.cpp: a URL inside another one's path or query
  // (a proxy's or a redirect's) printed its password, since only the first authority's
  // user info was masked.
  EXPECT_EQ(RedactUrl("http://p}//hook:Hunter2papi@bad h0osignt"), "http://p}//***@bad h0osignt");
  EXPECT_EQ(RedactUrl("https://proxy.example/fetch?url=https://u:pw@inner.example/x"),
            "https://proxy.example/fetch?url=https://***@inner.example/x");
  EXPECT_EQ(RedactUrl("https://host/a//b/c@d"), "https://host/a//b/c@d");  // '@' past the next '/'
  // Found by fuzz_config_yaml next: a "user:password@" after a single slash (a typo of "//").
  EXPECT_EQ(RedactUrl("https:/u:Passw0rd1@host/x"), "https:/***@host/x");
  EXPECT_EQ(RedactUrl("httptp://p}/'mypurecloud.ie:Hunter2papi@bad h0gnt"), "httptp://p}/'***@bad h0gnt");
  EXPECT_EQ(RedactUrl("https://host/login?next=u:Passw0rd1@inner"), "https://host/login?next=***@inner");
  // An '@' in a path without a password is not a user info.
  EXPECT_EQ(RedactUrl("https://host/users/@me/npm/@scope/pkg"), "https://host/users/@me/npm/@scope/pkg");
}

TEST(RedactUrl, AShortUserInfoIsMaskedWhereItStandsOnly) {
  // Found by fuzz_url_redact: a user info of one character was masked wherever that
  // character appeared, mangling the rest ("https://a@example.com/path" printed
  // "https://***@ex***mple.com/p***th", and a hidden path lost its "/...").
  EXPECT_EQ(RedactUrl("https://a@example.com/path"), "https://***@example.com/path");
  EXPECT_EQ(RedactUrl(".@3/ru?X", UrlPath::kHide), "***@3/...");
  EXPECT_EQ(RedactUrl("https://u:pw@host/pw"), "https://***@host/pw");
  // A long one is still masked wherever it repeats, before the "://" too.
  EXPECT_EQ(RedactUrl("x=Passw0rd1:https://:Passw0rd1@host"), "x=***:https://***@host");
  // ... but never across the "://" (found by fuzz_url_redact: the user info "ode:" ate the
  // "ode:" of "Code://", and the hidden path showed "//***@").
  EXPECT_EQ(RedactUrl("??Cdeo=;Code://ode:@", UrlPath::kHide), "??Cdeo=;Code://***@");
}

TEST(RedactUrl, APasswordWithARawDelimiterIsMaskedWhole) {
  // A password typed raw can hold '?', '#' or '/', which RFC 3986 reads as the end of the
  // authority: the part before it showed as a host, the rest as a query, fragment or path.
  EXPECT_EQ(RedactUrl("https://u:pa?ss@host/x"), "https://***@host/x");
  EXPECT_EQ(RedactUrl("https://u:p/w@host"), "https://***@host");
  EXPECT_EQ(RedactUrl("https://u:Pass/w0rd?x@host:8443/a?b=1"), "https://***@host:8443/a?b=1");
  // RFC 3986 has everything after a '#' in the fragment, which is never shown: nor is the host.
  EXPECT_EQ(RedactUrl("https://u:p#w@host"), "https://***@***");
  EXPECT_EQ(RedactUrl("https://u:Pass/w0rd?x#y@host:8443/a?b=1"), "https://***@***");
  // After a '?' it has the rest in the query: what it would mask there stays masked (found
  // by fuzz_url_redact: the value of access_token= after the host was shown, and so was a
  // value whose parameter's name began before the '@').
  EXPECT_EQ(RedactUrl("https://host:8443/login?email=a@b.com&code=1"), "https://***@b.com&code=***");
  EXPECT_EQ(RedactUrl("https://host:8443/p?token=abc@secret/x"), "https://***@***");
  EXPECT_EQ(RedactUrl("https://host:8443/p?X-Amz-Signa@h/e=SIG1;access_token=T0k3n"),
            "https://***@h/e=***;access_token=***");
  EXPECT_EQ(RedactUrl("https://u:pa?ss@host/x?code=9"), "https://***@host/x?code=***");
  EXPECT_EQ(RedactUrl("https://u:p/w@host/x?token=T", UrlPath::kHide), "https://***@host/...");
  // ... with a raw '@' in it too: the user info runs to the last '@'.
  EXPECT_EQ(RedactUrl("https://u:pass@word/more@host/x"), "https://***@host/x");
  // A password that starts with digits reads like a port: still masked.
  EXPECT_EQ(RedactUrl("https://u:1234/5678@host"), "https://***@host");
  // Masking never reaches into a URL nested after the authority (its own user info is
  // masked on its own).
  EXPECT_EQ(RedactUrl("https://proxy:8443/fetch?url=https://u:pw@inner/x"),
            "https://proxy:8443/fetch?url=https://***@inner/x");
  // Both readings' passwords are masked wherever they repeat (found by fuzz_url_redact: the
  // longer reading no longer masked the RFC 3986 password where it repeated).
  EXPECT_EQ(RedactUrl("x=Passw0rd1;https://:Passw0rd1@h?a@b"), "x=***;https://***@b");
  // The price: an '@' in the path of a URL with a port is taken for the end of a user info.
  EXPECT_EQ(RedactUrl("https://host:8443/users/@me"), "https://***@me");
}

TEST(RedactUrl, PlainUrlsAreUnchanged) {
  EXPECT_EQ(RedactUrl("https://api.mypurecloud.ie"), "https://api.mypurecloud.ie");
  EXPECT_EQ(RedactUrl("http://[::1]:9/api/v2?pageSize=500&a"), "http://[::1]:9/api/v2?pageSize=500&a");
  EXPECT_EQ(RedactUrl(""), "");
  EXPECT_EQ(RedactUrl("ftp://x"), "ftp://x");
}

TEST(RedactUrl, CredentialQueryValuesAreMasked) {
  EXPECT_EQ(RedactUrl("https://h/x?token=SECRET&a=1"), "https://h/x?token=***&a=1");
  EXPECT_EQ(RedactUrl("https://h/?access_token=A&api_key=B&apiKey=C&api-key=D"),
            "https://h/?access_token=***&api_key=***&apiKey=***&api-key=***");
  EXPECT_EQ(RedactUrl("https://h/?key=K&secret=S&client_secret=C&password=P&pwd=W&code=O"),
            "https://h/?key=***&secret=***&client_secret=***&password=***&pwd=***&code=***");
  EXPECT_EQ(RedactUrl("https://events.pagerduty.com/x?routing_key=R&integration_key=I&service_key=S"),
            "https://events.pagerduty.com/x?routing_key=***&integration_key=***&service_key=***");
  // Teams workflow (Azure SAS) and S3 presigned URLs sign in the query.
  EXPECT_EQ(RedactUrl("https://prod.logic.azure.com/workflows/w/triggers/manual/paths/invoke?api-version=2016-06-01"
                      "&sp=%2Ftriggers&sv=1.0&sig=SIG"),
            "https://prod.logic.azure.com/workflows/w/triggers/manual/paths/invoke?api-version=2016-06-01"
            "&sp=%2Ftriggers&sv=1.0&sig=***");
  EXPECT_EQ(RedactUrl("https://b.s3.amazonaws.com/o?X-Amz-Credential=C&X-Amz-Signature=S&X-Amz-Security-Token=T"),
            "https://b.s3.amazonaws.com/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***");
  // Names are matched case-insensitively and percent-decoded; ';' separates too.
  EXPECT_EQ(RedactUrl("https://h/?TOKEN=1;access%5Ftoken=2"), "https://h/?TOKEN=***;access%5Ftoken=***");
  // Empty values and repeated separators keep their shape.
  EXPECT_EQ(RedactUrl("https://h?token=&&x=1"), "https://h?token=***&&x=1");
}

TEST(RedactUrl, FragmentIsMasked) {
  EXPECT_EQ(RedactUrl("https://h/cb#access_token=T"), "https://h/cb#***");
  // A '?' after '#' belongs to the fragment.
  EXPECT_EQ(RedactUrl("https://h/cb#x?token=T"), "https://h/cb#***");
  EXPECT_EQ(RedactUrl("https://h/cb?a=1#f"), "https://h/cb?a=1#***");
}

TEST(RedactUrl, ReceiverPathIsHidden) {
  EXPECT_EQ(RedactUrl("https://hooks.slack.com/services/T0/B0/SECRET", UrlPath::kHide),
            "https://hooks.slack.com/...");
  EXPECT_EQ(RedactUrl("https://org.webhook.office.com/webhookb2/SECRET/IncomingWebhook/X", UrlPath::kHide),
            "https://org.webhook.office.com/...");
  EXPECT_EQ(RedactUrl("https://u:PASSWORD@host/x?token=SECRET", UrlPath::kHide), "https://***@host/...");
  EXPECT_EQ(RedactUrl("https://host?token=SECRET", UrlPath::kHide), "https://host/...");
  EXPECT_EQ(RedactUrl("http://am:9093", UrlPath::kHide), "http://am:9093");
}

}  // namespace
}  // namespace gx
