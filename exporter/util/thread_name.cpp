#include "exporter/util/thread_name.h"

#include <pthread.h>

namespace gx {

void NameThisThread(std::string_view name) {
  const std::string cut(name.substr(0, kThreadNameMax));
  pthread_setname_np(pthread_self(), cut.c_str());  // fails only on a name too long: cut above
}

std::string ThisThreadName() {
  char name[kThreadNameMax + 1] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return {};
  return name;
}

}  // namespace gx
