// A .tflite the user drops that is not a digit classifier (a face detector,
// a landmark or segmentation model): the demo cannot draw its predictions,
// but it still prepares and runs the model once, so the user sees that qlite
// supports every op of it, what it takes and gives, and how long a run takes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "gui/app/model_runner.h"

namespace qlite::gui {

struct ProbedModel {
  ModelCard card;
  std::vector<std::string> inputs, outputs;  // DescribeTensor of each
  double us = 0.0;                           // one Invoke on the neutral input
  // Why the model cannot be a side of the digit comparison, "" if it can.
  std::string digit_mismatch;
};

// Reads the model, prepares it with the SIMD kernels and (unless it is a
// digit classifier, which the demo runs itself) invokes it once with every
// input at zero (the zero point for quantized inputs). An error names the
// model and what failed: the file, an op qlite lacks, or the run.
Status ProbeModel(const std::string& name, std::shared_ptr<const std::vector<uint8_t>> bytes,
                  ProbedModel* out);

}  // namespace qlite::gui
