// What was built: version, git revision and branch, build user and date, compiler and
// platform, as Prometheus binaries report them. They are compiled into build_version.cpp
// alone, so a new commit rebuilds one file, not the tree. Thread-safe (constants).
#pragma once

namespace gx {

const char* BuildVersion();   // e.g. 0.1.0
const char* BuildRevision();  // short git hash, or "unknown"
const char* BuildBranch();    // e.g. main, or "unknown"
const char* BuildUser();      // user@host of the build, or -DGX_BUILD_USER
const char* BuildDate();      // the commit's time (or SOURCE_DATE_EPOCH), e.g. 20260921-14:15:20
const char* BuildCompiler();  // e.g. GNU-12.2.0
const char* BuildPlatform();  // GOOS/GOARCH style, e.g. linux/amd64

}  // namespace gx
