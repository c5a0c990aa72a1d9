// SQUEEZE: drops size-1 dimensions, any dtype; the bytes are unchanged.
// squeeze_dims (negative allowed) names the dimensions; when it is empty
// every size-1 dimension goes, as in TFLite.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

Status SqueezedShape(const Tensor& input, const std::vector<int32_t>& squeeze_dims, Shape* shape) {
  const int rank = input.rank();
  std::vector<bool> squeezed(rank, false);
  if (squeeze_dims.empty()) {
    for (int d = 0; d < rank; ++d) squeezed[d] = input.dim(d) == 1;
  } else {
    for (int32_t dim : squeeze_dims) {
      const int64_t d = dim < 0 ? int64_t{dim} + rank : dim;
      QLITE_ENSURE(d >= 0 && d < rank, "squeeze dimension ", dim, " is out of range for input '",
                   input.name(), "' of shape ", ShapeToString(input.shape));
      QLITE_ENSURE(input.dim(static_cast<int>(d)) == 1, "cannot squeeze dimension ", dim,
                   " of input '", input.name(), "' of shape ", ShapeToString(input.shape),
                   ": its size is not 1");
      squeezed[d] = true;
    }
  }
  shape->clear();
  for (int d = 0; d < rank; ++d) {
    if (!squeezed[d]) shape->push_back(input.dim(d));
  }
  return Status::Ok();
}

Status CopyBytes(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  QLITE_ENSURE(output.bytes == input.bytes, "SQUEEZE: output has ", output.bytes, " bytes, input ",
               input.bytes);
  if (input.bytes > 0 && output.data != input.data) {
    std::memcpy(output.data, input.data, input.bytes);
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SqueezePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  Shape shape;
  QLITE_RETURN_IF_ERROR(SqueezedShape(*input, ctx.options<SqueezeOptions>().squeeze_dims, &shape));
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, std::move(shape)));
  return Status::Ok();
}

Status SqueezeEval(OpContext& ctx) { return CopyBytes(ctx); }

}  // namespace

namespace ref {
const KernelRegistration* Squeeze() {
  static const KernelRegistration kRegistration = {"squeeze_reference", SqueezePrepare,
                                                   SqueezeEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kSqueezeFields[] = {
    {"squeeze_dims", 0, FieldType::kInt32Vector, offsetof(SqueezeOptions, squeeze_dims)},
};
extern const OptionsIO kSqueezeOptionsIO;
const OptionsIO kSqueezeOptionsIO =
    OptionsIOFor<SqueezeOptions>(tfl::BuiltinOptions::SqueezeOptions, kSqueezeFields);

}  // namespace qlite
