// One-op models for the binary elementwise kernels (ADD, SUB, MUL, MAXIMUM,
// MINIMUM): two activation inputs, one output.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite::testing {

struct BinaryCase {
  BuiltinOp op = BuiltinOp::kAdd;
  DType type = DType::kFloat32;
  Shape shape1, shape2, out_shape;
  Quantization q1, q2, qout;
  OpOptions options;  // the op's defaults
};

// `shape` for both inputs and the output, one quantization for all three.
inline BinaryCase SameShapeCase(BuiltinOp op, DType type, Shape shape, Quantization q = {}) {
  BinaryCase c;
  c.op = op;
  c.type = type;
  c.shape1 = c.shape2 = c.out_shape = std::move(shape);
  c.q1 = c.q2 = c.qout = std::move(q);
  return c;
}

template <typename T>
RunResult RunBinary(const BinaryCase& c, const std::vector<T>& a, const std::vector<T>& b) {
  ModelBuilder builder;
  const int in1 = builder.AddTensor("a", c.type, c.shape1, c.q1);
  const int in2 = builder.AddTensor("b", c.type, c.shape2, c.q2);
  const int out = builder.AddTensor("out", c.type, c.out_shape, c.qout);
  builder.AddOperator(c.op, {in1, in2}, {out}, c.options);
  builder.SetInputs({in1, in2});
  builder.SetOutputs({out});
  return RunModel(builder.Build(), {ToBytes(a), ToBytes(b)});
}

// Runs the case and returns output 0, failing the test if the run failed.
template <typename T>
std::vector<T> RunBinaryOk(const BinaryCase& c, const std::vector<T>& a, const std::vector<T>& b) {
  const RunResult r = RunBinary(c, a, b);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok() || r.outputs.empty()) return {};
  return FromBytes<T>(r.outputs[0]);
}

// Runs the case and returns the error message ("" if it unexpectedly ran).
template <typename T>
std::string RunBinaryError(const BinaryCase& c, const std::vector<T>& a, const std::vector<T>& b) {
  const RunResult r = RunBinary(c, a, b);
  EXPECT_FALSE(r.status.ok()) << "expected an error";
  return r.status.ok() ? std::string() : r.status.message();
}

}  // namespace qlite::testing
