// Conv2D as im2col + a small GEMM. The patch matrix is laid out [k][pixel]
// so that both the forward pass (out[c] += w[c][k] * col[k]) and the input
// gradient are long contiguous Axpy loops, and the weight gradient is a Dot
// over pixels.
#include <algorithm>
#include <cstring>

#include "train/fake_quant.h"
#include "train/layers.h"
#include "train/vector_math.h"

namespace qlite::train {

Status Conv2D::Configure(Dims in, Dims* out) {
  QLITE_ENSURE(filters_ > 0 && kernel_ > 0, "Conv2D needs positive filters and kernel size");
  int oh = in.h, ow = in.w;
  if (pad_ == PadMode::kValid) {
    oh = in.h - kernel_ + 1;
    ow = in.w - kernel_ + 1;
    QLITE_ENSURE(oh > 0 && ow > 0, "Conv2D ", kernel_, "x", kernel_, " VALID does not fit a ", in.h,
                 "x", in.w, " input");
    pad_top_ = pad_left_ = 0;
  } else {
    // TFLite/Keras SAME with stride 1: the extra padding row goes at the end.
    pad_top_ = pad_left_ = (kernel_ - 1) / 2;
  }
  in_ = in;
  out_ = {filters_, oh, ow};
  *out = out_;
  params_.assign(static_cast<size_t>(filters_) * patch_size() + filters_, 0.0f);
  return Status::Ok();
}

void Conv2D::Init(uint64_t seed) {
  const int receptive = kernel_ * kernel_;
  GlorotUniform(seed, in_.c * receptive, filters_ * receptive, params_.data(),
                static_cast<size_t>(filters_) * patch_size());
  std::fill(params_.begin() + static_cast<size_t>(filters_) * patch_size(), params_.end(), 0.0f);
  Refresh();
}

void Conv2D::Refresh() {
  if (!fake_quant_weights_) return;
  quantized_weights_.resize(static_cast<size_t>(filters_) * patch_size());
  FakeQuantWeightsPerChannel(params_.data(), filters_, patch_size(), quantized_weights_.data());
}

const float* Conv2D::effective_weights() const {
  return fake_quant_weights_ ? quantized_weights_.data() : params_.data();
}

size_t Conv2D::scratch_floats() const {
  // The patch matrix, its gradient (for the input gradient), the gradient
  // before the fused ReLU and the transposed weights.
  return (2 * static_cast<size_t>(patch_size()) + filters_) * out_.h * out_.w +
         static_cast<size_t>(patch_size()) * filters_;
}

void Conv2D::Im2Col(const float* in, float* col) const {
  const int pixels = out_.h * out_.w;
  for (int ci = 0; ci < in_.c; ++ci) {
    const float* plane = in + static_cast<size_t>(ci) * in_.h * in_.w;
    for (int dy = 0; dy < kernel_; ++dy) {
      for (int dx = 0; dx < kernel_; ++dx) {
        float* row = col + static_cast<size_t>((ci * kernel_ + dy) * kernel_ + dx) * pixels;
        // Output columns [x0, x1) read inside the input row; the rest is padding.
        const int shift = dx - pad_left_;
        const int x0 = std::max(0, -shift);
        const int x1 = std::min(out_.w, in_.w - shift);
        for (int oy = 0; oy < out_.h; ++oy) {
          float* dst = row + oy * out_.w;
          const int iy = oy + dy - pad_top_;
          if (iy < 0 || iy >= in_.h || x0 >= x1) {
            std::fill(dst, dst + out_.w, 0.0f);
            continue;
          }
          std::fill(dst, dst + x0, 0.0f);
          std::memcpy(dst + x0, plane + iy * in_.w + x0 + shift, sizeof(float) * (x1 - x0));
          std::fill(dst + x1, dst + out_.w, 0.0f);
        }
      }
    }
  }
}

void Conv2D::Forward(const float* in, float* out, float* scratch, const PassInfo& info) const {
  const int pixels = out_.h * out_.w;
  const int k_size = patch_size();
  float* col = scratch;
  Im2Col(in, col);
  const float* w = effective_weights();
  const float* bias = params_.data() + static_cast<size_t>(filters_) * k_size;
  if (pixels == 1) {
    // One output pixel (LeNet's last conv): a dense layer over the patch.
    std::copy(bias, bias + filters_, out);
    AddDotsRowsByRows(1, filters_, k_size, col, w, out);
  } else {
    MatMulAddBias(filters_, k_size, pixels, w, bias, col, out);
  }
  if (relu_) ReluInPlace(filters_ * pixels, out);
}

void Conv2D::Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                      float* scratch, const PassInfo& info) const {
  const int pixels = out_.h * out_.w;
  const int k_size = patch_size();
  float* col = scratch;
  Im2Col(in, col);
  if (relu_) {
    float* dz = scratch + 2 * static_cast<size_t>(k_size) * pixels;
    ReluGradient(filters_ * pixels, out, dout, dz);
    dout = dz;
  }
  float* dbias = grad + static_cast<size_t>(filters_) * k_size;
  if (pixels == 1) {
    for (int c = 0; c < filters_; ++c)
      Axpy(k_size, dout[c], col, grad + static_cast<size_t>(c) * k_size);
  } else {
    AddDotsRowsByRows(filters_, k_size, pixels, dout, col, grad);
  }
  for (int c = 0; c < filters_; ++c)
    dbias[c] += Sum(pixels, dout + static_cast<size_t>(c) * pixels);
  if (din == nullptr) return;

  // dcol = w^T dout (w^T is small: patch x filters), then scatter back (col2im).
  float* dcol = scratch + static_cast<size_t>(k_size) * pixels;
  const float* w = effective_weights();
  if (pixels == 1) {
    MatMulAddBias(1, filters_, k_size, dout, nullptr, w, dcol);
  } else {
    float* wt = scratch + (2 * static_cast<size_t>(k_size) + filters_) * pixels;
    for (int c = 0; c < filters_; ++c) {
      for (int k = 0; k < k_size; ++k)
        wt[static_cast<size_t>(k) * filters_ + c] = w[static_cast<size_t>(c) * k_size + k];
    }
    MatMulAddBias(k_size, filters_, pixels, wt, nullptr, dout, dcol);
  }
  std::fill(din, din + in_.size(), 0.0f);
  for (int ci = 0; ci < in_.c; ++ci) {
    float* plane = din + static_cast<size_t>(ci) * in_.h * in_.w;
    for (int dy = 0; dy < kernel_; ++dy) {
      for (int dx = 0; dx < kernel_; ++dx) {
        const float* row = dcol + static_cast<size_t>((ci * kernel_ + dy) * kernel_ + dx) * pixels;
        const int shift = dx - pad_left_;
        const int x0 = std::max(0, -shift);
        const int x1 = std::min(out_.w, in_.w - shift);
        if (x0 >= x1) continue;
        for (int oy = 0; oy < out_.h; ++oy) {
          const int iy = oy + dy - pad_top_;
          if (iy < 0 || iy >= in_.h) continue;
          Axpy(x1 - x0, 1.0f, row + oy * out_.w + x0, plane + iy * in_.w + x0 + shift);
        }
      }
    }
  }
}

}  // namespace qlite::train
