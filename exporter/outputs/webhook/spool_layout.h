// Where each receiver's queue and dead letters live inside alerting.spool_dir. Names are
// an injective encoding of the exact receiver name, so two receivers never share a
// folder (`ops.x` and `ops_x` once both became `ops_x`). Pure, except MigrateLegacySpools.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"

namespace gx {

// Letters, digits and '-' stay; every other byte, '_' included, becomes `_` and two
// lower-case hex digits. The empty name is `_`. Never contains '.' or '/'.
std::string EncodeSpoolName(std::string_view receiver);

// `<encoded>-<index>`: the queue folder of the receiver's index-th URL. Named by
// position, not URL, so a receiver whose URL changes keeps its queue.
std::string SpoolFolderName(std::string_view receiver, int index);

// `<encoded>.dead-letter.jsonl`.
std::string DeadLetterFileName(std::string_view receiver);

// Renames the folders and dead-letter files of the old, lossy naming (every byte other
// than letters, digits, '-' and '_' became '_') to the new names, when exactly one
// configured receiver maps to them; a legacy folder that several receivers shared is
// left in place with an error in the log. Cheap: a few stat() calls at start.
void MigrateLegacySpools(const std::string& spool_dir, const std::vector<ReceiverConfig>& receivers);

}  // namespace gx
