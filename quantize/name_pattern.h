// Node-name patterns of the quantizer's denylist: a small regular-expression
// matcher (ECMAScript syntax subset, whole-name match) that behaves the same
// in the CLI and in the wasm package, which is built without C++ exceptions
// (so std::regex could only abort on a bad pattern there).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace qlite {

// Supported: literals, `.`, `[a-z_]` / `[^...]` classes, `\d \w \s \D \W \S`
// and escaped metacharacters, groups `(...)` / `(?:...)`, alternation `|`,
// quantifiers `* + ?` and `{m}` `{m,}` `{m,n}`, and `^` / `$` at the ends
// (the match is always of the whole name).
class NamePattern {
 public:
  NamePattern();
  ~NamePattern();
  NamePattern(NamePattern&&) noexcept;
  NamePattern& operator=(NamePattern&&) noexcept;

  // Fails naming the position of the first unsupported or malformed piece.
  static Status Compile(const std::string& pattern, NamePattern* out);
  // Whether the whole of `name` matches. A pattern that backtracks beyond a
  // fixed budget on one name counts as no match.
  bool Matches(const std::string& name) const;

  struct Node;  // the parsed pattern (name_pattern.cc)

 private:
  std::unique_ptr<Node> root_;
};

}  // namespace qlite
