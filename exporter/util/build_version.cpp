#include "exporter/util/build_version.h"

namespace gx {

const char* BuildVersion() { return GX_VERSION; }
const char* BuildRevision() { return GX_REVISION; }
const char* BuildCompiler() { return GX_COMPILER; }

}  // namespace gx
