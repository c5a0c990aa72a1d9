// Signatures (TFLite's SignatureDef): read, written, checked, and resolved
// to input/output positions by name, on the LiteRT.js comparison's model
// (x, y -> ADD, SUB; the signature feeds (y, x) and reads (diff, sum)).
#include "core/signature.h"

#include <gtest/gtest.h>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "core/model_builder.h"
#include "core/model_check.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

Model RoundTrip(const Model& model) {
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(WriteModel(model, {}, &bytes).ok());
  Model read;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &read);
  EXPECT_TRUE(s.ok()) << s.message();
  return read;
}

TEST(Signature, WrittenAndReadBack) {
  const Model read = RoundTrip(SignatureAddSub());
  ASSERT_EQ(read.signatures.size(), 1u);
  const SignatureDef& s = read.signatures[0];
  EXPECT_EQ(s.key, "serving_default");
  EXPECT_EQ(s.subgraph, 0u);
  ASSERT_EQ(s.inputs.size(), 2u);
  EXPECT_EQ(s.inputs[0].name, "y");
  EXPECT_EQ(s.inputs[0].tensor, 1);
  EXPECT_EQ(s.inputs[1].name, "x");
  EXPECT_EQ(s.inputs[1].tensor, 0);
  ASSERT_EQ(s.outputs.size(), 2u);
  EXPECT_EQ(s.outputs[0].name, "diff");
  EXPECT_EQ(s.outputs[0].tensor, 3);
  EXPECT_EQ(DescribeSignatures(read), "signature 'serving_default': (y, x) -> (diff, sum)\n");
}

TEST(Signature, ResolvesNamesToPositionsAndRuns) {
  const Model model = RoundTrip(SignatureAddSub());
  ResolvedSignature sig;
  ASSERT_TRUE(ResolveSignature(model, "", &sig).ok());  // the only one
  ASSERT_EQ(sig.inputs.size(), 2u);
  EXPECT_EQ(sig.inputs[0].name, "y");
  EXPECT_EQ(sig.inputs[0].position, 1);
  EXPECT_EQ(sig.inputs[1].position, 0);
  EXPECT_EQ(sig.outputs[0].position, 1);  // diff
  EXPECT_EQ(sig.outputs[1].position, 0);  // sum

  std::unique_ptr<Interpreter> interpreter;
  ASSERT_TRUE(Interpreter::Create(model, {}, &interpreter).ok());
  const float x[4] = {5.0f, 1.0f, 0.0f, -1.0f}, y[4] = {2.0f, 4.0f, 0.5f, -1.0f};
  ASSERT_TRUE(interpreter->SetInput(sig.inputs[0].position, y, sizeof(y)).ok());
  ASSERT_TRUE(interpreter->SetInput(sig.inputs[1].position, x, sizeof(x)).ok());
  ASSERT_TRUE(interpreter->Invoke().ok());
  const float* diff = interpreter->output(sig.outputs[0].position)->data_as<float>();
  EXPECT_EQ(diff[0], 3.0f);
  EXPECT_EQ(diff[1], -3.0f);
  EXPECT_EQ(diff[2], -0.5f);
  EXPECT_EQ(diff[3], 0.0f);
}

TEST(Signature, ErrorsNameWhatIsWrong) {
  Model model = SignatureAddSub();
  ResolvedSignature sig;
  Status s = ResolveSignature(model, "encode", &sig);
  EXPECT_NE(s.message().find("no signature 'encode' (signatures: 'serving_default')"),
            std::string::npos)
      << s.message();

  Model two = model;
  two.signatures.push_back({"decode", 0, {}, {}});
  s = ResolveSignature(two, "", &sig);
  EXPECT_NE(s.message().find("2 signatures ('serving_default', 'decode'): name one"),
            std::string::npos)
      << s.message();

  Model none = model;
  none.signatures.clear();
  s = ResolveSignature(none, "", &sig);
  EXPECT_NE(s.message().find("0 signatures (none)"), std::string::npos) << s.message();

  Model other = model;
  other.signatures[0].subgraph = 1;
  s = ResolveSignature(other, "serving_default", &sig);
  EXPECT_NE(s.message().find("runs subgraph 1"), std::string::npos) << s.message();
  std::vector<uint8_t> bytes;
  s = WriteModel(other, {}, &bytes);
  EXPECT_NE(s.message().find("names subgraph 1"), std::string::npos) << s.message();

  // An intermediate tensor is not something a signature can feed.
  Model inner = model;
  inner.signatures[0].inputs[0].tensor = 2;
  s = ResolveSignature(inner, "serving_default", &sig);
  EXPECT_NE(s.message().find("input 'y' is tensor 2, which is not a model input"),
            std::string::npos)
      << s.message();
}

TEST(Signature, OutOfRangeTensorsAreRejected) {
  Model model = SignatureAddSub();
  model.signatures[0].outputs[1].tensor = 99;
  const Status s = CheckModel(model);  // what the reader and the writer run
  EXPECT_NE(s.message().find("signature 'serving_default': output 'sum' names tensor 99"),
            std::string::npos)
      << s.message();
  std::vector<uint8_t> bytes;
  EXPECT_FALSE(WriteModel(model, {}, &bytes).ok());
}

}  // namespace
}  // namespace qlite
