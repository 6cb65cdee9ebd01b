#include "exporter/outputs/webhook/webhook_signer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "exporter/util/base64.h"

namespace gx {

std::string WebhookSecretKey(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) != kPrefix) return std::string(secret);
  std::string_view b64 = secret.substr(kPrefix.size());
  std::string out(3 * (b64.size() / 4) + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return std::string(secret);
  out.resize(static_cast<size_t>(n));
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  size_t pad = 0;
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) ++pad;
  out.resize(out.size() - std::min(pad, out.size()));
  return out;
}

std::string SignWebhook(const std::vector<std::string>& secrets, std::string_view id, std::string_view timestamp,
                        std::string_view body) {
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).append(".").append(timestamp).append(".").append(body);
  std::string header;
  for (const auto& secret : secrets) {
    const std::string key = WebhookSecretKey(secret);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len)) {
      continue;
    }
    if (!header.empty()) header += ' ';
    header += "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), len));
  }
  return header;
}

}  // namespace gx
