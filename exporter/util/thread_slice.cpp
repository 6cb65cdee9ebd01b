#include "exporter/util/thread_slice.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"

namespace gx {
namespace {

// The kernel's struct sched_attr (include/uapi/linux/sched/types.h), first version: glibc 2.36
// has no wrapper for sched_getattr / sched_setattr.
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;  // the requested slice, in ns, for the normal policy
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
};

bool ReadAttr(SchedAttr& attr) {
  attr = SchedAttr{};
  attr.size = sizeof attr;
  return syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) == 0;
}

}  // namespace

Status RequestShortSlice(std::chrono::microseconds slice) {
  SchedAttr attr;
  if (!ReadAttr(attr)) return Status::Error(std::string("sched_getattr: ") + std::strerror(errno));
  if (attr.sched_policy != SCHED_OTHER) return Status::Error("not the normal scheduling policy");
  attr.sched_flags = 0;
  attr.sched_runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0)
    return Status::Error(std::string("sched_setattr: ") + std::strerror(errno));
  return Status::Ok();
}

void RequestShortSliceOrLog() {
  if (const Status asked = RequestShortSlice(); !asked)
    LogDebug("thread runs with the kernel's default time slice",
             {{"thread", ThisThreadName()}, {"err", asked.error()}});
}

std::chrono::microseconds ThisThreadSlice() {
  SchedAttr attr;
  if (!ReadAttr(attr)) return {};
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds(attr.sched_runtime));
}

}  // namespace gx
