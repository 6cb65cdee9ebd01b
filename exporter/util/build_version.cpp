#include "exporter/util/build_version.h"

// The names Go gives to GOOS and GOARCH, which Prometheus users know from `platform:`.
#if defined(__linux__)
#define GX_OS "linux"
#elif defined(__APPLE__)
#define GX_OS "darwin"
#elif defined(__FreeBSD__)
#define GX_OS "freebsd"
#else
#define GX_OS "unknown"
#endif

#if defined(__x86_64__)
#define GX_ARCH "amd64"
#elif defined(__aarch64__)
#define GX_ARCH "arm64"
#elif defined(__i386__)
#define GX_ARCH "386"
#elif defined(__arm__)
#define GX_ARCH "arm"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GX_ARCH "ppc64le"
#elif defined(__s390x__)
#define GX_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define GX_ARCH "riscv64"
#else
#define GX_ARCH "unknown"
#endif

namespace gx {

const char* BuildVersion() { return GX_VERSION; }
const char* BuildRevision() { return GX_REVISION; }
const char* BuildBranch() { return GX_BRANCH; }
const char* BuildUser() { return GX_BUILD_USER; }
const char* BuildDate() { return GX_BUILD_DATE; }
const char* BuildCompiler() { return GX_COMPILER; }
const char* BuildPlatform() { return GX_OS "/" GX_ARCH; }

}  // namespace gx
