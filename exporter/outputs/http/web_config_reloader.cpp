#include "exporter/outputs/http/web_config_reloader.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "exporter/outputs/http/tls_context.h"
#include "exporter/outputs/http/web_config.h"
#include "exporter/outputs/http/web_policy_loader.h"
#include "exporter/util/logging.h"
#include "exporter/util/read_file.h"
#include "exporter/util/thread_name.h"

namespace gx {
namespace {

std::string Join(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += (out.empty() ? "" : "; ") + m;
  return out;
}

// SHA-256 over each file's name and content (or why it cannot be read). The content may be a
// private key: wiped once hashed.
std::string FingerprintOf(const std::vector<std::string>& files) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  for (const auto& file : files) {
    Result<std::string> content = ReadFileBounded(file, std::max(kMaxWebConfigBytes, kMaxPemBytes));
    const std::string_view text = content ? std::string_view(*content) : std::string_view();
    for (std::string_view part : {std::string_view(file), std::string_view(content.error()), text}) {
      const std::uint64_t n = part.size();
      EVP_DigestUpdate(md.get(), &n, sizeof n);
      EVP_DigestUpdate(md.get(), part.data(), part.size());
    }
    if (content) OPENSSL_cleanse(content->data(), content->size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(md.get(), digest, &len);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

}  // namespace

WebConfigReloader::WebConfigReloader(std::string path, const Clock& clock, HealthState* health, Options options)
    : path_(std::move(path)),
      clock_(clock),
      health_(health),
      options_(options),
      checker_(options.checker ? options.checker : std::make_shared<BcryptChecker>()) {
  files_ = {path_};
  status_.in_use = true;
  status_.path = path_;
}

std::unique_ptr<WebConfigReloader> WebConfigReloader::Start(const std::string& path, const Clock& clock,
                                                            HealthState* health, ConfigErrors& errors,
                                                            Options options) {
  std::unique_ptr<WebConfigReloader> r(new WebConfigReloader(path, clock, health, options));
  {
    std::lock_guard lock(r->check_mu_);
    r->last_check_ = clock.Now();
    if (!r->Load(r->last_check_, errors)) return nullptr;
  }
  r->watcher_ = std::thread([raw = r.get()] {
    NameThisThread("gx-web-config");
    raw->Watch();
  });
  return r;
}

WebConfigReloader::~WebConfigReloader() {
  {
    std::lock_guard lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void WebConfigReloader::Watch() {
  const auto interval = std::chrono::nanoseconds(std::max<UnixNanos>(options_.check_interval, kNanosPerMilli));
  std::unique_lock lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, interval, [this] { return stop_; })) {
    lock.unlock();
    Check();
    lock.lock();
  }
}

bool WebConfigReloader::Load(UnixNanos now, ConfigErrors& errors) {
  // The contents before they are read: a file that changes while it is loaded is loaded
  // again at the next check, never missed.
  const std::string before = FingerprintOf(files_);
  std::vector<std::string> files;
  const size_t first_error = errors.messages.size();
  std::shared_ptr<const WebPolicy> policy;
  try {
    policy = LoadWebPolicy(path_, checker_, errors, &files);
  } catch (const std::exception& e) {  // the caller is the watching thread: nothing may escape
    errors.messages.push_back(path_ + ": cannot load: " + e.what());
    files = files_;
  }
  fingerprint_ = files == files_ ? before : FingerprintOf(files);
  files_ = std::move(files);
  std::lock_guard lock(mu_);
  if (policy && policy_ && (policy->tls != nullptr) != tls_) {
    errors.messages.push_back(path_ + ": tls_server_config: TLS was " + (tls_ ? "on" : "off") +
                              " at start and a reload cannot turn it " + (tls_ ? "off" : "on") +
                              "; restart the exporter");
    policy = nullptr;
  }
  status_.last_successful = policy != nullptr;
  status_.last_attempt = now;
  if (policy) {
    if (!policy_) tls_ = policy->tls != nullptr;
    const bool reload = policy_ != nullptr;
    policy_ = std::move(policy);
    status_.last_success = now;
    status_.errors.clear();
    if (reload) LogInfo("web config reloaded", {{"file", path_}});
  } else {
    status_.errors.assign(errors.messages.begin() + static_cast<std::ptrdiff_t>(first_error), errors.messages.end());
    if (policy_) {
      LogError("web config not reloaded, the last good one stays in force",
               {{"file", path_}, {"err", Join(status_.errors)}});
    }
  }
  Publish();
  return status_.last_successful;
}

std::shared_ptr<const WebPolicy> WebConfigReloader::Current() {
  std::lock_guard lock(mu_);
  return policy_;
}

void WebConfigReloader::Check() {
  std::lock_guard lock(check_mu_);
  const UnixNanos now = clock_.Now();
  // A clock that went back is a reason to look now, not to wait until it is forward again.
  if (now - last_check_ < options_.check_interval && now >= last_check_) return;
  last_check_ = now;
  if (FingerprintOf(files_) != fingerprint_) {
    ConfigErrors errors;
    Load(now, errors);
  }
}

WebPolicySource WebConfigReloader::Source() {
  return [this] { return Current(); };
}

FileLoadHealth WebConfigReloader::Status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void WebConfigReloader::Publish() const {
  if (!health_) return;
  health_->Update([&](HealthData& h) { h.web_config = status_; });
}

}  // namespace gx
