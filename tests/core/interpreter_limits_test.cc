// InterpreterOptions::max_tensor_bytes: a model whose tensors need more memory
// than the caller allows is refused at Create with a message, whether the
// memory is the arena or constants folded at prepare.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"

namespace qlite {
namespace {

// in [256, 256] float32 -> RELU -> RELU: two 256 KiB arena tensors that
// overlap in time (the second RELU reads the first's output).
Model TwoReluModel() {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {256, 256});
  const int mid = b.AddTensor("mid", DType::kFloat32, {256, 256});
  const int out = b.AddTensor("out", DType::kFloat32, {256, 256});
  b.AddOperator(BuiltinOp::kRelu, {in}, {mid});
  b.AddOperator(BuiltinOp::kRelu, {mid}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(InterpreterLimits, ArenaLargerThanTheCapIsRefused) {
  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  ASSERT_TRUE(Interpreter::Create(TwoReluModel(), options, &interpreter).ok());
  EXPECT_EQ(interpreter->arena_bytes(), 2u * 256 * 256 * 4);

  options.max_tensor_bytes = 2 * 256 * 256 * 4 - 1;
  const Status s = Interpreter::Create(TwoReluModel(), options, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(interpreter, nullptr);
  EXPECT_NE(s.message().find("the arena would need 524288 bytes, more than max_tensor_bytes "
                             "(524287)"),
            std::string::npos)
      << s.message();
}

TEST(InterpreterLimits, FoldedConstantsCountAgainstTheCap) {
  // TILE of a constant [1, 4] x [4096, 1] folds to a 64 KiB constant.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {4096, 4});
  const int c = b.AddConstant("c", DType::kFloat32, {1, 4}, std::vector<float>{1, 2, 3, 4});
  const int m = b.AddConstant("m", DType::kInt32, {2}, std::vector<int32_t>{4096, 1});
  const int tiled = b.AddTensor("tiled", DType::kFloat32, {});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTile, {c, m}, {tiled});
  b.AddOperator(BuiltinOp::kAdd, {in, tiled}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  const Model model = b.Build();

  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  options.max_tensor_bytes = 64 * 1024 - 1;
  Status s = Interpreter::Create(model, options, &interpreter);
  ASSERT_FALSE(s.ok());
  // Larger than the cap on its own: refused as soon as its shape is known.
  EXPECT_NE(s.message().find("output tensor 'tiled' needs 65536 bytes, more than "
                             "max_tensor_bytes (65535)"),
            std::string::npos)
      << s.message();

  // Enough for the folded constant, not for it and the arena (in + out).
  options.max_tensor_bytes = 64 * 1024 * 3 - 1;
  s = Interpreter::Create(model, options, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("after 65536 bytes of folded constants"), std::string::npos)
      << s.message();

  options.max_tensor_bytes = 64 * 1024 * 3;
  s = Interpreter::Create(model, options, &interpreter);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(InterpreterLimits, FoldedConstantsAddUpAgainstTheCap) {
  // Two TILEs of a constant [1, 4] x [2048, 1], 32 KiB each: either fits
  // under a 48 KiB cap, both together do not.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 4});
  const int c = b.AddConstant("c", DType::kFloat32, {1, 4}, std::vector<float>{1, 2, 3, 4});
  const int m = b.AddConstant("m", DType::kInt32, {2}, std::vector<int32_t>{2048, 1});
  const int tiled1 = b.AddTensor("tiled1", DType::kFloat32, {});
  const int tiled2 = b.AddTensor("tiled2", DType::kFloat32, {});
  const int sum = b.AddTensor("sum", DType::kFloat32, {});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTile, {c, m}, {tiled1});
  b.AddOperator(BuiltinOp::kTile, {c, m}, {tiled2});
  b.AddOperator(BuiltinOp::kAdd, {tiled1, tiled2}, {sum});
  b.AddOperator(BuiltinOp::kAdd, {in, sum}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  options.max_tensor_bytes = 48 * 1024;
  const Status s = Interpreter::Create(b.Build(), options, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("folding constant 'tiled2' takes the tensor memory past "
                             "max_tensor_bytes (49152)"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace qlite
