// What was built: version, git revision and compiler. The revision is compiled
// into build_version.cpp alone, so a new commit rebuilds one file, not the tree.
#pragma once

namespace gx {

const char* BuildVersion();   // e.g. 0.1.0
const char* BuildRevision();  // short git hash, or "unknown"
const char* BuildCompiler();  // e.g. GNU-12.2.0

}  // namespace gx
