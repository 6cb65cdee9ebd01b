// The one HTML escape for every value a page shows (entity names, errors, labels, paths):
// safe in element text and in quoted attribute values. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace gx {

// Appends `text` with & < > " ' replaced by their character references. Bytes are copied
// otherwise (the pages are UTF-8; a browser shows invalid UTF-8 as U+FFFD, never as markup).
void AppendHtmlEscaped(std::string& out, std::string_view text);

std::string HtmlEscape(std::string_view text);

}  // namespace gx
