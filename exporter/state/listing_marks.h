// The ids one complete listing has named so far, across its pages: the mark of a
// mark-and-sweep. A listing is merged into the state page by page (TelephonyWriter::Upsert*)
// and only its end (Sweep*) removes what no page named, so that a listing never holds the
// whole inventory at once and a listing that fails midway removes nothing. One per listing,
// used by the lister's thread only.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>

namespace gx {

class ListingMarks {
 public:
  // True the first time the listing names `id` (an org changing while it is paged can
  // show an entity on two pages: the later copy is merged over the first, counted once).
  bool Mark(const std::string& id) { return seen_.insert(id).second; }
  bool Has(const std::string& id) const { return seen_.count(id) > 0; }
  std::size_t size() const { return seen_.size(); }

 private:
  friend class TelephonyWriter;
  std::unordered_set<std::string> seen_;
  bool links_changed_ = false;  // phones: a page changed what PhoneOfUser looks at
};

}  // namespace gx
