#include "core/format/options_io.h"

namespace qlite {

Status OptionsTableMismatch(const tfl::Operator& fb) {
  const auto type = fb.builtin_options_type();
  const char* name = tfl::EnumNameBuiltinOptions(type);
  return Status::Error(StrCat("options table ",
                              (name != nullptr && *name) ? name
                                                         : std::to_string(static_cast<int>(type)),
                              " does not belong to this operator"));
}

Status ReadPadding(tfl::Padding fb, Padding* out) {
  const int value = static_cast<int>(fb);
  QLITE_ENSURE(value == 0 || value == 1, "invalid padding value ", value);
  *out = static_cast<Padding>(value);
  return Status::Ok();
}

Status ReadActivation(tfl::ActivationFunctionType fb, Activation* out) {
  const int value = static_cast<int>(fb);
  QLITE_ENSURE(value >= 0 && value <= 5, "invalid fused activation value ", value);
  *out = static_cast<Activation>(value);
  return Status::Ok();
}

std::vector<int32_t> ToVector(const flatbuffers::Vector<int32_t>* v) {
  return v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>{};
}

const char* PaddingName(Padding p) { return p == Padding::kSame ? "SAME" : "VALID"; }
const char* BoolName(bool b) { return b ? "true" : "false"; }

}  // namespace qlite
