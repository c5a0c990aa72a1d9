// The networks of the reference experiments, as Keras defines them.
#include "train/network.h"

namespace qlite::train {

namespace {

// The TensorFlow post-training-quantization tutorial's MNIST model.
std::unique_ptr<Network> Tutorial() {
  auto net = std::make_unique<Network>("tutorial", Dims{1, 28, 28});
  net->Add<Conv2D>(12, 3, PadMode::kValid, /*relu=*/true);
  net->Add<MaxPool>(2);
  net->Add<Flatten>();
  net->Add<Dense>(10, /*relu=*/false);
  return net;
}

// LeNet-5 with ReLU activations and max pooling.
std::unique_ptr<Network> LeNet5() {
  auto net = std::make_unique<Network>("lenet5", Dims{1, 28, 28});
  net->Add<Conv2D>(6, 5, PadMode::kSame, true);
  net->Add<MaxPool>(2);
  net->Add<Conv2D>(16, 5, PadMode::kValid, true);
  net->Add<MaxPool>(2);
  net->Add<Conv2D>(120, 5, PadMode::kValid, true);
  net->Add<Flatten>();
  net->Add<Dense>(84, true);
  net->Add<Dropout>(0.5f);
  net->Add<Dense>(10, false);
  return net;
}

}  // namespace

const char* KnownArchitectures() { return "tutorial, lenet5"; }

Status BuildNetwork(const std::string& arch, std::unique_ptr<Network>* net) {
  if (arch == "tutorial") {
    *net = Tutorial();
  } else if (arch == "lenet5") {
    *net = LeNet5();
  } else {
    return Status::Error(
        StrCat("unknown architecture '", arch, "' (known: ", KnownArchitectures(), ")"));
  }
  return (*net)->Configure();
}

}  // namespace qlite::train
