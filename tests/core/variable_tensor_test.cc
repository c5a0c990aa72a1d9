// Variable tensors in the interpreter: memory of their own outside the arena
// (values survive every Invoke), initial values from the buffer or zero (the
// zero point for int8, as TFLite's ResetVariableTensor), ResetVariables,
// ResizeInput starting from the initial values, and the model checks
// (a variable may not be a model input or an operator's output).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::StepRunner;
using testing::ToBytes;

// out = in + var (ADD reads the variable like any tensor).
Model AddVariableModel(DType type, Quantization quant, const std::vector<uint8_t>& initial) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, {1, 3}, quant);
  const int var = initial.empty() ? b.AddVariable("var", type, {1, 3}, quant)
                                  : b.AddConstantBytes("var", type, {1, 3}, initial, quant);
  b.model().tensors[var].is_variable = true;
  const int out = b.AddTensor("out", type, {1, 3}, quant);
  b.AddOperator(BuiltinOp::kAdd, {in, var}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(VariableTensorTest, StartsFromItsBufferOrZero) {
  StepRunner zero(AddVariableModel(DType::kFloat32, {}, {}));
  ASSERT_TRUE(zero.status().ok()) << zero.status().message();
  EXPECT_EQ(zero.Step<float>(std::vector<float>{1, 2, 3}), (std::vector<float>{1, 2, 3}));
  const std::vector<float> initial = {10, 20, 30};
  StepRunner buffer(AddVariableModel(DType::kFloat32, {}, ToBytes(initial)));
  ASSERT_TRUE(buffer.status().ok()) << buffer.status().message();
  EXPECT_EQ(buffer.Step<float>(std::vector<float>{1, 2, 3}), (std::vector<float>{11, 22, 33}));
  const int var = buffer.interpreter().model().operators[0].inputs[1];
  EXPECT_TRUE(buffer.interpreter().tensors()[var].is_variable());
  EXPECT_FALSE(buffer.interpreter().model().is_constant(var));
}

TEST(VariableTensorTest, Int8ZeroIsTheZeroPoint) {
  // Both at scale 1, zero point 5: the variable holds 5 (real 0), so the
  // output equals the input.
  StepRunner run(AddVariableModel(DType::kInt8, PerTensor(1.0f, 5), {}));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  const int var = run.interpreter().model().operators[0].inputs[1];
  EXPECT_EQ(run.interpreter().tensors()[var].data_as<int8_t>()[0], 5);
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{-7, 0, 9}), (std::vector<int8_t>{-7, 0, 9}));
}

// AccumulatorModel: h' = x + h (an RNN), doubled by an ADD that reuses the
// arena after the RNN has run.
Model AccumulatorModel(bool side_input = false) {
  Model m = testing::RnnAccumulatorModel(side_input);
  const int out = m.outputs[0];
  TensorDef doubled;
  doubled.name = "doubled";
  m.tensors.push_back(doubled);
  const int d = static_cast<int>(m.tensors.size()) - 1;
  OperatorDef add;
  add.op = BuiltinOp::kAdd;
  add.inputs = {out, out};
  add.outputs = {d};
  m.operators.push_back(add);
  m.outputs[0] = d;
  return m;
}

TEST(VariableTensorTest, KeepsItsValueAcrossInvokesUntilReset) {
  StepRunner run(AccumulatorModel());
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{2});
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{6});
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{14});
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{8});
  // The state lives outside the arena, which holds only in/out/doubled.
  const Interpreter& interpreter = run.interpreter();
  EXPECT_EQ(interpreter.tensors()[4].storage, Tensor::Storage::kVariable);
  EXPECT_LE(interpreter.arena_bytes(), 3u * 16u);
}

TEST(VariableTensorTest, ResizeInputStartsFromTheInitialValues) {
  // The hidden state is [1, 1]: batch 2 does not fit it, and the interpreter
  // is left as it was, state included.
  StepRunner run(AccumulatorModel(true));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{3}), std::vector<float>{6});
  const Status s = run.interpreter().ResizeInput(0, {2, 1});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("hidden_state"), std::string::npos) << s.message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{8});
  // The same shape changes nothing: the state is kept (h = 4 + 1).
  ASSERT_TRUE(run.interpreter().ResizeInput(0, {1, 1}).ok());
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{10});
  // Another shape prepares a fresh graph: the state starts again from 0.
  ASSERT_TRUE(run.interpreter().ResizeInput(1, {3, 2}).ok());
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{2});
}

TEST(VariableTensorTest, ModelChecks) {
  auto error = [](const Model& model) {
    std::unique_ptr<Interpreter> interpreter;
    const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
    return s.ok() ? std::string("ok") : s.message();
  };
  Model m = AddVariableModel(DType::kFloat32, {}, {});
  m.tensors[m.inputs[0]].is_variable = true;
  EXPECT_NE(error(m).find("is a variable tensor"), std::string::npos) << error(m);
  m = AddVariableModel(DType::kFloat32, {}, {});
  m.tensors[m.outputs[0]].is_variable = true;
  EXPECT_NE(error(m).find("writes variable"), std::string::npos) << error(m);
  // Initial data of the wrong size.
  m = AddVariableModel(DType::kFloat32, {}, ToBytes(std::vector<float>{1, 2}));
  EXPECT_NE(error(m).find("bytes of constant data"), std::string::npos) << error(m);
  // Variable memory counts against max_tensor_bytes.
  m = AddVariableModel(DType::kFloat32, {}, {});  // a 12-byte variable
  InterpreterOptions small;
  small.max_tensor_bytes = 8;
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(m, small, &interpreter);
  EXPECT_NE(s.message().find("max_tensor_bytes"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace qlite
