#include "exporter/outputs/http/web_policy_loader.h"

#include "exporter/outputs/http/tls_context.h"
#include "exporter/outputs/http/web_config.h"

namespace gx {

std::shared_ptr<const WebPolicy> LoadWebPolicy(const std::string& path, const std::shared_ptr<BcryptChecker>& checker,
                                               ConfigErrors& errors, std::vector<std::string>* files) {
  WebConfigFile config;
  ConfigErrors parsed = ReadWebConfigFile(path, config);
  if (files) {
    *files = {path};
    for (auto& f : config.Files()) files->push_back(std::move(f));
  }
  if (!parsed.ok()) {
    errors.messages.insert(errors.messages.end(), parsed.messages.begin(), parsed.messages.end());
    return nullptr;
  }
  auto policy = std::make_shared<WebPolicy>();
  if (config.tls) {
    auto made = MakeServerTlsContext(*config.tls, path);
    if (!made) {
      errors.messages.push_back(made.error());
      return nullptr;
    }
    policy->tls = std::move(made).value();
  }
  if (!config.basic_auth_users.empty()) {
    BasicAuthorizer auth = MakeBasicAuthorizer(std::move(config.basic_auth_users), checker);
    policy->authorize = std::move(auth.authorize);
    policy->quick_check = std::move(auth.quick_check);
  }
  policy->headers = std::move(config.headers);
  return policy;
}

}  // namespace gx
