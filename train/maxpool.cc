// Max pooling, window = stride = size, VALID. Backward routes each output's
// gradient to the first maximal input of its window (the one forward picked).
#include <algorithm>

#include "train/layers.h"

namespace qlite::train {

Status MaxPool::Configure(Dims in, Dims* out) {
  QLITE_ENSURE(size_ > 0 && in.h >= size_ && in.w >= size_, "MaxPool ", size_, "x", size_,
               " does not fit a ", in.h, "x", in.w, " input");
  in_ = in;
  out_ = {in.c, in.h / size_, in.w / size_};
  *out = out_;
  return Status::Ok();
}

namespace {

// One channel. kSize > 0 fixes the window at compile time (the common 2x2
// gets fully unrolled loops); 0 uses `size`.
template <int kSize>
void PoolForwardPlane(const float* in, int in_w, int size, int out_h, int out_w, float* out) {
  const int s = kSize > 0 ? kSize : size;
  for (int oy = 0; oy < out_h; ++oy) {
    const float* row0 = in + (oy * s) * in_w;
    float* orow = out + oy * out_w;
    for (int ox = 0; ox < out_w; ++ox) {
      float best = row0[ox * s];
      for (int y = 0; y < s; ++y) {
        for (int x = 0; x < s; ++x) best = std::max(best, row0[y * in_w + ox * s + x]);
      }
      orow[ox] = best;
    }
  }
}

// The first input equal to the window's maximum (the one forward picked)
// gets the gradient, the others 0; no branches on the data.
template <int kSize>
void PoolBackwardPlane(const float* in, int in_w, int size, int out_h, int out_w, const float* out,
                       const float* dout, float* din) {
  const int s = kSize > 0 ? kSize : size;
  for (int oy = 0; oy < out_h; ++oy) {
    for (int ox = 0; ox < out_w; ++ox) {
      const float best = out[oy * out_w + ox], g = dout[oy * out_w + ox];
      bool taken = false;
      for (int y = 0; y < s; ++y) {
        const int row = (oy * s + y) * in_w + ox * s;
        for (int x = 0; x < s; ++x) {
          const bool here = !taken & (in[row + x] == best);
          din[row + x] = here ? g : 0.0f;
          taken |= here;
        }
      }
    }
  }
}

}  // namespace

void MaxPool::Forward(const float* in, float* out, float* scratch, const PassInfo& info) const {
  for (int c = 0; c < in_.c; ++c) {
    const float* plane = in + static_cast<size_t>(c) * in_.h * in_.w;
    float* oplane = out + static_cast<size_t>(c) * out_.h * out_.w;
    if (size_ == 2) {
      PoolForwardPlane<2>(plane, in_.w, 2, out_.h, out_.w, oplane);
    } else {
      PoolForwardPlane<0>(plane, in_.w, size_, out_.h, out_.w, oplane);
    }
  }
}

void MaxPool::Backward(const float* in, const float* out, const float* dout, float* din,
                       float* grad, float* scratch, const PassInfo& info) const {
  if (din == nullptr) return;
  // Inputs outside every window (odd edges) get no gradient.
  if (out_.h * size_ != in_.h || out_.w * size_ != in_.w) std::fill(din, din + in_.size(), 0.0f);
  for (int c = 0; c < in_.c; ++c) {
    const size_t in_offset = static_cast<size_t>(c) * in_.h * in_.w;
    const size_t out_offset = static_cast<size_t>(c) * out_.h * out_.w;
    if (size_ == 2) {
      PoolBackwardPlane<2>(in + in_offset, in_.w, 2, out_.h, out_.w, out + out_offset,
                           dout + out_offset, din + in_offset);
    } else {
      PoolBackwardPlane<0>(in + in_offset, in_.w, size_, out_.h, out_.w, out + out_offset,
                           dout + out_offset, din + in_offset);
    }
  }
}

}  // namespace qlite::train
