// A port file: how a program that listens on port 0 tells whoever started it which ports the
// kernel picked (genesys_exporter --web.port-file, genesys_sim --port-file), so that no caller
// picks a port by binding and closing it (another process can take it in between). The format:
// one port per line, in the order of the listeners. Written through a temp file and a rename, so
// a reader sees no file or all of it; the owner writes it only once it accepts connections, and
// removes a stale one before it binds, so that a failed start leaves no file to be misread.
// Thread-safe (no state) as long as callers use distinct paths.
#pragma once

#include <string>
#include <vector>

#include "exporter/util/result.h"

namespace gx {

// Removes `path`; an absent file is fine.
Status RemovePortFile(const std::string& path);

// Replaces `path` with `ports`, one per line (mode 0644: a port is no secret). A failure names
// the file.
Status WritePortFile(const std::string& path, const std::vector<int>& ports);

}  // namespace gx
