// RESHAPE: the same bytes under a new shape, any dtype. The new shape comes
// from the int32 shape tensor (input 1) when there is a 1-D one, else from
// ReshapeOptions.new_shape; one dimension may be -1 (inferred). A shape
// tensor computed at run time makes the output dynamic, sized in eval.
#include <cstdint>
#include <cstring>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// TFLite only reads the shape input when it is a 1-D int32 tensor and falls
// back to the options otherwise.
bool UsesShapeInput(const OpContext& ctx) {
  const Tensor* shape_tensor = ctx.input(1);
  return shape_tensor != nullptr && shape_tensor->type == DType::kInt32 &&
         shape_tensor->rank() == 1;
}

// The requested shape, before -1 is resolved.
Status RequestedShape(const OpContext& ctx, Shape* shape) {
  const Tensor* shape_tensor = ctx.input(1);
  if (UsesShapeInput(ctx)) {
    const size_t needed_bytes = static_cast<size_t>(shape_tensor->dim(0)) * sizeof(int32_t);
    QLITE_ENSURE(shape_tensor->bytes >= needed_bytes, "shape tensor '", shape_tensor->name(),
                 "' holds fewer values than its shape says");
    const int32_t* dims = shape_tensor->data_as<int32_t>();
    shape->assign(dims, dims + shape_tensor->dim(0));
    return Status::Ok();
  }
  const auto& options = ctx.options<ReshapeOptions>();
  QLITE_ENSURE(options.has_new_shape,
               "RESHAPE has neither a 1-D int32 shape input nor a "
               "new_shape option");
  *shape = options.new_shape;
  // Legacy converters wrote [0] for a scalar output.
  if (shape->size() == 1 && (*shape)[0] == 0) shape->clear();
  return Status::Ok();
}

// Replaces a single -1 so that the element count equals `count`.
Status ResolveShape(int64_t count, Shape* shape) {
  int inferred_dim = -1;
  int64_t known_count = 1;
  for (size_t i = 0; i < shape->size(); ++i) {
    const int32_t d = (*shape)[i];
    if (d == -1) {
      QLITE_ENSURE(inferred_dim < 0, "new shape ", ShapeToString(*shape), " has more than one -1");
      inferred_dim = static_cast<int>(i);
      continue;
    }
    QLITE_ENSURE(d >= 0, "new shape ", ShapeToString(*shape), " has negative dimension ", d);
    known_count *= d;
    // No valid tensor has more than 2^31 elements; stopping here keeps the
    // product from overflowing.
    QLITE_ENSURE(known_count <= (int64_t{1} << 31), "new shape ", ShapeToString(*shape),
                 " has too many elements");
  }
  if (inferred_dim >= 0) {
    QLITE_ENSURE(known_count > 0 && count % known_count == 0, "cannot infer the -1 in ",
                 ShapeToString(*shape), " for an input of ", count, " elements");
    (*shape)[inferred_dim] = static_cast<int32_t>(count / known_count);
    known_count = count;
  }
  QLITE_ENSURE(known_count == count, "new shape ", ShapeToString(*shape), " has ", known_count,
               " elements, the input has ", count);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ReshapePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 2, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  const Tensor* output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  if (UsesShapeInput(ctx) && !ValuesKnownAtPrepare(*ctx.input(1))) {
    return ctx.MarkOutputDynamic(0);
  }
  Shape shape;
  QLITE_RETURN_IF_ERROR(RequestedShape(ctx, &shape));
  QLITE_RETURN_IF_ERROR(ResolveShape(input->num_elements(), &shape));
  return ctx.SetOutputShape(0, std::move(shape));
}

Status ReshapeEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (output.is_dynamic()) {
    Shape shape;
    QLITE_RETURN_IF_ERROR(RequestedShape(ctx, &shape));
    QLITE_RETURN_IF_ERROR(ResolveShape(input.num_elements(), &shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(shape)));
  }
  QLITE_ENSURE(output.bytes == input.bytes, "RESHAPE: output has ", output.bytes, " bytes, input ",
               input.bytes);
  if (output.data != input.data && input.bytes > 0) {
    std::memcpy(output.data, input.data, input.bytes);
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Reshape() {
  static const KernelRegistration kRegistration = {"reshape_reference", ReshapePrepare,
                                                   ReshapeEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kReshapeFields[] = {
    {"new_shape", 0, FieldType::kInt32Vector, offsetof(ReshapeOptions, new_shape), 0,
     offsetof(ReshapeOptions, has_new_shape)},
};
extern const OptionsIO kReshapeOptionsIO;
const OptionsIO kReshapeOptionsIO =
    OptionsIOFor<ReshapeOptions>(tfl::BuiltinOptions::ReshapeOptions, kReshapeFields);

}  // namespace qlite
