// Locales that write 1234.5 as "1.234,5": the property under test is that /metrics ignores them.
#pragma once

#include <clocale>
#include <locale>
#include <string>

namespace gx::testing {

// A German-style numpunct that needs no installed system locale.
struct CommaPunct : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// Makes a comma-decimal system locale the process's C and C++ locale; nullptr (and nothing
// changed) when none is installed (see `locale -a`).
inline const char* UseCommaDecimalSystemLocale() {
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    if (std::setlocale(LC_ALL, name)) {
      std::locale::global(std::locale(name));
      return name;
    }
  }
  return nullptr;
}

inline void RestoreClassicLocale() {
  std::locale::global(std::locale::classic());
  std::setlocale(LC_ALL, "C");
}

}  // namespace gx::testing
