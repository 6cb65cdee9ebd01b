// gzip Content-Encoding for web responses: whether a request's Accept-Encoding allows it,
// and the compression itself (zlib). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace gx {

// True when `accept_encoding` lists gzip (or x-gzip, or *) with a q-value above zero.
bool AcceptsGzip(std::string_view accept_encoding);

// The body as a gzip member. Fast compression: /metrics text shrinks ~10x at level 1, and the
// CPU goes to the scrape, not to the last few percent.
std::string Gzip(std::string_view body);

}  // namespace gx
