#include "quantize/name_pattern.h"

#include <cctype>
#include <functional>
#include <utility>
#include <vector>

namespace qlite {

struct NamePattern::Node {
  enum class Kind { kLiteral, kAny, kClass, kGroup };
  Kind kind = Kind::kLiteral;
  char literal = 0;
  std::vector<std::pair<unsigned char, unsigned char>> ranges;  // kClass, inclusive
  bool negated = false;
  std::vector<std::vector<Node>> alternatives;  // kGroup
  int min = 1, max = 1;                         // repetitions; max -1: unbounded
};

namespace {

using Node = NamePattern::Node;
constexpr int kMaxRepeat = 1000;
constexpr int kMaxDepth = 50;
// Longer names are never matched: keeps the backtracking recursion shallow.
constexpr size_t kMaxNameLength = 1000;
constexpr long kStepBudget = 1000000;

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Status ParseAll(Node* root) {
    if (pos_ < text_.size() && text_[pos_] == '^') ++pos_;
    QLITE_RETURN_IF_ERROR(ParseGroup(0, root));
    if (pos_ < text_.size()) return Error("unmatched ')'");
    return Status::Ok();
  }

 private:
  Status Error(const std::string& what) const {
    return Status::Error(StrCat("node pattern '", text_, "': ", what, " at offset ", pos_));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  // Alternatives up to a ')' (left for the caller) or the end.
  Status ParseGroup(int depth, Node* group) {
    if (depth > kMaxDepth) return Error("groups nested too deep");
    group->kind = Node::Kind::kGroup;
    group->alternatives.emplace_back();
    while (!AtEnd() && text_[pos_] != ')') {
      const char c = text_[pos_];
      if (c == '|') {
        ++pos_;
        group->alternatives.emplace_back();
        continue;
      }
      if (c == '$' && pos_ + 1 == text_.size()) {  // the match is whole-name anyway
        ++pos_;
        continue;
      }
      Node atom;
      QLITE_RETURN_IF_ERROR(ParseAtom(depth, &atom));
      QLITE_RETURN_IF_ERROR(ParseQuantifier(&atom));
      group->alternatives.back().push_back(std::move(atom));
    }
    return Status::Ok();
  }

  Status ParseAtom(int depth, Node* atom) {
    const char c = text_[pos_++];
    switch (c) {
      case '(': {
        if (text_.compare(pos_, 2, "?:") == 0) {
          pos_ += 2;
        } else if (!AtEnd() && text_[pos_] == '?') {
          return Error("only (?:...) groups are supported");
        }
        QLITE_RETURN_IF_ERROR(ParseGroup(depth + 1, atom));
        if (AtEnd()) return Error("missing ')'");
        ++pos_;
        return Status::Ok();
      }
      case '[': return ParseClass(atom);
      case '.': atom->kind = Node::Kind::kAny; return Status::Ok();
      case '\\': return ParseEscape(atom, /*in_class=*/false);
      case '*':
      case '+':
      case '?':
      case '{': --pos_; return Error("nothing to repeat");
      case '^':
      case '$': --pos_; return Error("'^' and '$' are only supported at the ends");
      case ']':
      case '}': --pos_; return Error(StrCat("unescaped '", c, "'"));
      default: atom->literal = c; return Status::Ok();
    }
  }

  // After a backslash: a shorthand class or an escaped punctuation character.
  Status ParseEscape(Node* atom, bool in_class) {
    if (AtEnd()) return Error("trailing '\\'");
    const char c = text_[pos_++];
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == 'd' || lower == 'w' || lower == 's') {
      if (in_class && c != lower) return Error("\\D, \\W, \\S inside [...] are not supported");
      atom->kind = Node::Kind::kClass;
      atom->negated = atom->negated || c != lower;
      auto& r = atom->ranges;
      if (lower == 'd' || lower == 'w') r.push_back({'0', '9'});
      if (lower == 'w') r.insert(r.end(), {{'a', 'z'}, {'A', 'Z'}, {'_', '_'}});
      if (lower == 's') r.insert(r.end(), {{' ', ' '}, {'\t', '\r'}});
      return Status::Ok();
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      --pos_;
      return Error(StrCat("unsupported escape '\\", c, "'"));
    }
    if (in_class) {
      atom->ranges.push_back({static_cast<unsigned char>(c), static_cast<unsigned char>(c)});
    } else {
      atom->literal = c;
    }
    return Status::Ok();
  }

  Status ParseClass(Node* atom) {
    atom->kind = Node::Kind::kClass;
    if (!AtEnd() && text_[pos_] == '^') {
      atom->negated = true;
      ++pos_;
    }
    while (true) {
      if (AtEnd()) return Error("missing ']'");
      const char c = text_[pos_++];
      if (c == ']') return Status::Ok();
      if (c == '\\') {
        QLITE_RETURN_IF_ERROR(ParseEscape(atom, /*in_class=*/true));
        continue;
      }
      unsigned char hi = static_cast<unsigned char>(c);
      if (pos_ + 1 < text_.size() && text_[pos_] == '-' && text_[pos_ + 1] != ']') {
        hi = static_cast<unsigned char>(text_[pos_ + 1]);
        if (hi == '\\') return Error("escapes as range ends are not supported");
        if (hi < static_cast<unsigned char>(c)) return Error("range out of order");
        pos_ += 2;
      }
      atom->ranges.push_back({static_cast<unsigned char>(c), hi});
    }
  }

  Status ParseNumber(int* value) {
    if (AtEnd() || !std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      return Error("expected a number in {...}");
    }
    *value = 0;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      *value = *value * 10 + (text_[pos_++] - '0');
      if (*value > kMaxRepeat) return Error(StrCat("repeat count above ", kMaxRepeat));
    }
    return Status::Ok();
  }

  Status ParseQuantifier(Node* atom) {
    if (AtEnd()) return Status::Ok();
    const char c = text_[pos_];
    if (c == '*' || c == '+' || c == '?') {
      atom->min = c == '+' ? 1 : 0;
      atom->max = c == '?' ? 1 : -1;
      ++pos_;
    } else if (c == '{') {
      ++pos_;
      QLITE_RETURN_IF_ERROR(ParseNumber(&atom->min));
      atom->max = atom->min;
      if (!AtEnd() && text_[pos_] == ',') {
        ++pos_;
        atom->max = -1;
        if (!AtEnd() && text_[pos_] != '}') QLITE_RETURN_IF_ERROR(ParseNumber(&atom->max));
      }
      if (AtEnd() || text_[pos_] != '}') return Error("missing '}'");
      ++pos_;
      if (atom->max >= 0 && atom->max < atom->min) return Error("{m,n} with n < m");
    } else {
      return Status::Ok();
    }
    if (!AtEnd() && text_[pos_] == '?') ++pos_;  // lazy: the same for a whole-name match
    if (!AtEnd() && (text_[pos_] == '*' || text_[pos_] == '+' || text_[pos_] == '{')) {
      return Error("nothing to repeat");
    }
    return Status::Ok();
  }

  const std::string& text_;
  size_t pos_ = 0;
};

using Continuation = std::function<bool(size_t)>;

// Backtracking over the tree: each function calls `next` with every position
// where its piece can end, first (greedy) to last, until one succeeds.
class Matcher {
 public:
  explicit Matcher(const std::string& name) : name_(name) {}

  bool Once(const Node& n, size_t pos, const Continuation& next) {
    if (++steps_ > kStepBudget) return false;
    if (n.kind == Node::Kind::kGroup) {
      for (const std::vector<Node>& sequence : n.alternatives) {
        if (Sequence(sequence, 0, pos, next)) return true;
      }
      return false;
    }
    if (pos >= name_.size()) return false;
    const unsigned char c = static_cast<unsigned char>(name_[pos]);
    bool hit = true;
    if (n.kind == Node::Kind::kLiteral) {
      hit = c == static_cast<unsigned char>(n.literal);
    } else if (n.kind == Node::Kind::kClass) {
      bool in = false;
      for (const auto& [lo, hi] : n.ranges) in = in || (c >= lo && c <= hi);
      hit = in != n.negated;
    }
    return hit && next(pos + 1);
  }

  bool Repeat(const Node& n, int count, size_t pos, const Continuation& next) {
    if ((n.max < 0 || count < n.max) && Once(n, pos, [&](size_t end) {
          // An empty iteration beyond the minimum would loop forever.
          return (end != pos || count < n.min) && Repeat(n, count + 1, end, next);
        })) {
      return true;
    }
    return count >= n.min && next(pos);
  }

  bool Sequence(const std::vector<Node>& sequence, size_t i, size_t pos, const Continuation& next) {
    if (i == sequence.size()) return next(pos);
    return Repeat(sequence[i], 0, pos,
                  [&](size_t end) { return Sequence(sequence, i + 1, end, next); });
  }

 private:
  const std::string& name_;
  long steps_ = 0;
};

}  // namespace

NamePattern::NamePattern() = default;
NamePattern::~NamePattern() = default;
NamePattern::NamePattern(NamePattern&&) noexcept = default;
NamePattern& NamePattern::operator=(NamePattern&&) noexcept = default;

Status NamePattern::Compile(const std::string& pattern, NamePattern* out) {
  auto root = std::make_unique<Node>();
  QLITE_RETURN_IF_ERROR(Parser(pattern).ParseAll(root.get()));
  out->root_ = std::move(root);
  return Status::Ok();
}

bool NamePattern::Matches(const std::string& name) const {
  if (root_ == nullptr || name.size() > kMaxNameLength) return false;
  Matcher matcher(name);
  return matcher.Once(*root_, 0, [&](size_t end) { return end == name.size(); });
}

}  // namespace qlite
