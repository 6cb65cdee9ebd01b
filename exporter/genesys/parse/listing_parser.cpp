// The *EntityListing envelope rule shared by every paged resource.
#include "exporter/genesys/parse/api_parsers.h"

namespace gx {

bool PageInfo::last() const {
  // pageCount is authoritative when present (an empty org answers pageCount 0 or 1);
  // otherwise the absence of nextUri ends the walk.
  if (page_count) return page_number >= *page_count;
  return next_uri.empty();
}

}  // namespace gx
