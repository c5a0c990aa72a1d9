// The float32 kernels that sum with simd::MulAdd (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED) as qlite.relaxed.wasm runs them on an engine that fuses
// f32x4.relaxed_madd: emulated natively with std::fma per lane. Each output
// must lie within the bound kernels_wasm/fused_mul_add.h states of the
// reference kernel's:
//   |fused - reference| <= 2 * (n + 1) * 2^-24 * (sum |w_i * x_i| + |bias|)
// for n products, with sum |w x| + |bias| taken from the reference kernel run
// on |input|, |weights|, |bias| without activation (clamps only shrink
// differences). Runs at 1-4 threads must give the same bytes, and some
// outputs must differ from the reference (else the fused path did not run).
// Native builds only: under Emscripten MulAdd is whatever the patch made it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "kernels_wasm/fused_mul_add.h"
#include "tests/kernels_wasm/diff_test_util.h"

#if !defined(__EMSCRIPTEN__)
namespace qlite {
namespace {

using testing::RandomActivation;
using testing::RandomInt;
using testing::RunWithKernels;
using testing::ToBytes;

class ScopedFusedMulAdd {
 public:
  ScopedFusedMulAdd() { simd::EmulateFusedMulAddForTesting(true); }
  ~ScopedFusedMulAdd() { simd::EmulateFusedMulAddForTesting(false); }
  ScopedFusedMulAdd(const ScopedFusedMulAdd&) = delete;
  ScopedFusedMulAdd& operator=(const ScopedFusedMulAdd&) = delete;
};

// One random float case of `op`; Build(true) is its magnitude model.
struct FloatCase {
  BuiltinOp op = BuiltinOp::kConv2D;
  Shape input_shape, filter_shape;
  int out_channels = 1;
  int products = 1;  // n: products summed per output
  Padding padding = Padding::kSame;
  int stride = 1, dilation = 1, depth_multiplier = 1;
  Activation activation = Activation::kNone;
  std::vector<float> input, filter, bias;

  std::string Describe() const {
    return StrCat(BuiltinOpName(op), " input ", ShapeToString(input_shape), " filter ",
                  ShapeToString(filter_shape), " stride ", stride, " dilation ", dilation,
                  padding == Padding::kSame ? " SAME " : " VALID ", ActivationName(activation));
  }

  Model Build(bool magnitude) const {
    auto values = [magnitude](std::vector<float> v) {
      if (magnitude) {
        for (float& x : v) x = std::fabs(x);
      }
      return v;
    };
    const Activation act = magnitude ? Activation::kNone : activation;
    ModelBuilder b;
    const int in = b.AddTensor("input", DType::kFloat32, input_shape);
    const int w = b.AddConstant<float>("filter", DType::kFloat32, filter_shape, values(filter));
    const int bias_tensor =
        b.AddConstant<float>("bias", DType::kFloat32, {out_channels}, values(bias));
    const int out = b.AddTensor("output", DType::kFloat32, {});
    if (op == BuiltinOp::kConv2D) {
      Conv2DOptions o;
      o.padding = padding;
      o.stride_h = o.stride_w = stride;
      o.dilation_h = o.dilation_w = dilation;
      o.activation = act;
      b.AddOperator(op, {in, w, bias_tensor}, {out}, o);
    } else if (op == BuiltinOp::kDepthwiseConv2D) {
      DepthwiseConv2DOptions o;
      o.padding = padding;
      o.stride_h = o.stride_w = stride;
      o.dilation_h = o.dilation_w = dilation;
      o.depth_multiplier = depth_multiplier;
      o.activation = act;
      b.AddOperator(op, {in, w, bias_tensor}, {out}, o);
    } else {
      FullyConnectedOptions o;
      o.activation = act;
      b.AddOperator(op, {in, w, bias_tensor}, {out}, o);
    }
    b.SetInputs({in});
    b.SetOutputs({out});
    return b.Build();
  }
};

std::vector<float> RandomFloats(int64_t count, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(count);
  for (float& x : v) x = RandomInt(0, 9, rng) == 0 ? 0.0f : dist(*rng);
  return v;
}

FloatCase RandomCase(BuiltinOp op, std::mt19937* rng) {
  FloatCase c;
  c.op = op;
  c.activation = RandomActivation(rng);
  const int batch = RandomInt(1, 2, rng);
  if (op == BuiltinOp::kFullyConnected) {
    const int depth = RandomInt(0, 3, rng) == 0 ? RandomInt(100, 400, rng) : RandomInt(1, 70, rng);
    c.out_channels = RandomInt(1, 40, rng);
    c.input_shape = {batch, depth};
    c.filter_shape = {c.out_channels, depth};
    c.products = depth;
  } else {
    const int k = RandomInt(1, 5, rng);
    const int channels = RandomInt(1, 40, rng);
    c.input_shape = {batch, RandomInt(k, 12, rng), RandomInt(k, 12, rng), channels};
    c.stride = RandomInt(1, 2, rng);
    c.dilation = k > 3 ? 1 : RandomInt(1, 2, rng);
    c.padding = RandomInt(0, 1, rng) == 0 ? Padding::kSame : Padding::kValid;
    if ((k - 1) * c.dilation + 1 > c.input_shape[1] ||
        (k - 1) * c.dilation + 1 > c.input_shape[2]) {
      c.padding = Padding::kSame;
    }
    if (op == BuiltinOp::kConv2D) {
      c.out_channels = RandomInt(1, 40, rng);
      c.filter_shape = {c.out_channels, k, k, channels};
      c.products = k * k * channels;
    } else {
      c.depth_multiplier = RandomInt(0, 3, rng) == 0 ? 2 : 1;
      c.out_channels = channels * c.depth_multiplier;
      c.filter_shape = {1, k, k, c.out_channels};
      c.products = k * k;
    }
  }
  c.input = RandomFloats(ShapeElementCount(c.input_shape), rng);
  c.filter = RandomFloats(ShapeElementCount(c.filter_shape), rng);
  c.bias = RandomFloats(c.out_channels, rng);
  return c;
}

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

// Runs `cases` random cases of `op`; returns how many outputs the fused
// kernel rounded differently from the reference.
int64_t RunFusedCases(BuiltinOp op, const char* simd_kernel, uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  int64_t differing = 0;
  for (int i = 0; i < cases; ++i) {
    const FloatCase c = RandomCase(op, &rng);
    const std::string what = StrCat("case ", i, ": ", c.Describe());
    const Model model = c.Build(false);
    const std::vector<uint8_t> input = ToBytes(c.input);
    std::vector<float> abs_input = c.input;
    for (float& x : abs_input) x = std::fabs(x);
    const testing::KernelRun reference = RunWithKernels(model, {input}, KernelSet::kReference);
    const testing::KernelRun magnitude =
        RunWithKernels(c.Build(true), {ToBytes(abs_input)}, KernelSet::kReference);
    ScopedFusedMulAdd fused;
    const testing::KernelRun simd = RunWithKernels(model, {input}, KernelSet::kSimd);
    EXPECT_TRUE(reference.status.ok() && magnitude.status.ok() && simd.status.ok()) << what;
    if (!simd.status.ok()) return differing;
    EXPECT_EQ(simd.node_kernels.at(0), simd_kernel) << what;
    const std::vector<float> want = Floats(reference.output);
    const std::vector<float> got = Floats(simd.output);
    const std::vector<float> sums = Floats(magnitude.output);
    EXPECT_EQ(got.size(), want.size()) << what;
    if (got.size() != want.size() || sums.size() != want.size()) return differing;
    const double unit = std::ldexp(1.0, -24);
    for (size_t j = 0; j < want.size(); ++j) {
      // 1.01: the magnitude sum itself is rounded; 2^-140: underflow.
      const double bound = 2.0 * (c.products + 1) * unit * sums[j] * 1.01 + std::ldexp(1.0, -140);
      const double diff = std::fabs(double{got[j]} - double{want[j]});
      if (!(diff <= bound)) {
        ADD_FAILURE() << what << ": output " << j << " is " << got[j] << ", reference " << want[j]
                      << ", beyond the bound " << bound;
        return differing;
      }
      differing += got[j] != want[j] ? 1 : 0;
    }
    testing::ScopedSplitEveryNode split;
    for (int threads = 2; threads <= 4; ++threads) {
      const testing::KernelRun threaded =
          RunWithKernels(model, {input}, KernelSet::kSimd, Arithmetic::kTflite, threads);
      if (!testing::ExpectSameBytes(threaded, simd.output, what,
                                    StrCat("fused, ", threads, " threads"))) {
        return differing;
      }
    }
  }
  return differing;
}

TEST(FusedMulAddTest, Conv2DWithinTheBound) {
  EXPECT_GT(RunFusedCases(BuiltinOp::kConv2D, "conv2d_simd", 11, 150), 0);
}

TEST(FusedMulAddTest, DepthwiseConv2DWithinTheBound) {
  EXPECT_GT(RunFusedCases(BuiltinOp::kDepthwiseConv2D, "depthwise_conv2d_simd128", 12, 200), 0);
}

TEST(FusedMulAddTest, FullyConnectedWithinTheBound) {
  EXPECT_GT(RunFusedCases(BuiltinOp::kFullyConnected, "fully_connected_simd", 13, 200), 0);
}

// MulAdd's two behaviours lane for lane: one rounding, or two.
TEST(FusedMulAddTest, MulAddRoundsOnceOnlyWhenFused) {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: the last term is lost when the
  // product rounds, kept when it is added to -1 exactly.
  const float a = 1.0f + std::ldexp(1.0f, -12);
  float out[4];
  wasm_v128_store(out,
                  simd::MulAdd(wasm_f32x4_splat(a), wasm_f32x4_splat(a), wasm_f32x4_splat(-1.0f)));
  EXPECT_EQ(out[0], std::ldexp(1.0f, -11));
  ScopedFusedMulAdd fused;
  wasm_v128_store(out,
                  simd::MulAdd(wasm_f32x4_splat(a), wasm_f32x4_splat(a), wasm_f32x4_splat(-1.0f)));
  for (float v : out) EXPECT_EQ(v, std::ldexp(1.0f, -11) + std::ldexp(1.0f, -24));
}

}  // namespace
}  // namespace qlite
#endif  // !defined(__EMSCRIPTEN__)
