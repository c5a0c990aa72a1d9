// MAXIMUM and MINIMUM with numpy broadcasting (ranks up to 6).
// float32 / int32 compare values; int8 / uint8 / int16 compare the raw
// quantized values, which is only meaningful when both inputs and the output
// share one scale and zero point (the converter guarantees it; TFLite does not
// check, qlite rejects a model that breaks it). No fused activation.
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

enum class Extremum { kMaximum, kMinimum };

const char* OpName(Extremum op) { return op == Extremum::kMaximum ? "MAXIMUM" : "MINIMUM"; }

struct MaxMinData : OpData {
  BroadcastShape broadcast;
};

Status CheckSameQuantization(const Tensor& t, const Tensor& out, Extremum op, const char* role) {
  QLITE_ENSURE(t.scale() == out.scale() && t.zero_point() == out.zero_point(), OpName(op), ": ",
               role, " '", t.name(), "' is quantized with scale ", t.scale(), " zero point ",
               t.zero_point(), " but the output with scale ", out.scale(), " zero point ",
               out.zero_point(), "; they must be equal");
  return Status::Ok();
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx, Extremum op) {
  const Tensor *in1 = nullptr, *in2 = nullptr, *out = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareBinaryOperands(
      ctx, {DType::kFloat32, DType::kInt32, DType::kInt8, DType::kUInt8, DType::kInt16}, &in1, &in2,
      &out));
  if (in1->type == DType::kInt8 || in1->type == DType::kUInt8 || in1->type == DType::kInt16) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*in1, "input1"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*in2, "input2"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*out, "output"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*in1, *out, op, "input1"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*in2, *out, op, "input2"));
  }
  auto* data = ctx.NewOpData<MaxMinData>();
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(
      ComputeBroadcastShape(in1->shape, in2->shape, OpName(op), &data->broadcast, &out_shape));
  return ctx.SetOutputShape(0, std::move(out_shape));
}

QLITE_PREPARE_TIME Status MaximumPrepare(OpContext& ctx) {
  return Prepare(ctx, Extremum::kMaximum);
}
QLITE_PREPARE_TIME Status MinimumPrepare(OpContext& ctx) {
  return Prepare(ctx, Extremum::kMinimum);
}

// TFLite's comparisons: with a NaN operand the second input wins.
template <Extremum kOp, typename T>
void EvalTyped(const BroadcastShape& b, const Tensor& in1, const Tensor& in2, Tensor& out) {
  ForEachBroadcast(b, in1.data_as<T>(), in2.data_as<T>(), out.data_as<T>(), [](T x, T y) {
    if constexpr (kOp == Extremum::kMaximum) {
      return x > y ? x : y;
    } else {
      return x < y ? x : y;
    }
  });
}

template <Extremum kOp>
Status Eval(OpContext& ctx) {
  const Tensor& in1 = *ctx.input(0);
  const Tensor& in2 = *ctx.input(1);
  Tensor& out = *ctx.output(0);
  const BroadcastShape& b = ctx.op_data<MaxMinData>()->broadcast;
  switch (in1.type) {
    case DType::kFloat32: EvalTyped<kOp, float>(b, in1, in2, out); return Status::Ok();
    case DType::kInt32: EvalTyped<kOp, int32_t>(b, in1, in2, out); return Status::Ok();
    case DType::kInt8: EvalTyped<kOp, int8_t>(b, in1, in2, out); return Status::Ok();
    case DType::kUInt8: EvalTyped<kOp, uint8_t>(b, in1, in2, out); return Status::Ok();
    case DType::kInt16: EvalTyped<kOp, int16_t>(b, in1, in2, out); return Status::Ok();
    default: return Status::Error(StrCat(OpName(kOp), ": unsupported dtype ", DTypeName(in1.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Maximum() {
  static const KernelRegistration kRegistration = {"maximum_reference", MaximumPrepare,
                                                   Eval<Extremum::kMaximum>};
  return &kRegistration;
}

const KernelRegistration* Minimum() {
  static const KernelRegistration kRegistration = {"minimum_reference", MinimumPrepare,
                                                   Eval<Extremum::kMinimum>};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kMaximumMinimumOptionsIO;
const OptionsIO kMaximumMinimumOptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::MaximumMinimumOptions);

}  // namespace qlite
