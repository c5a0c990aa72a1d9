// The scatter loop of the transpose convolutions: TRANSPOSE_CONV
// (transpose_conv.cc) and MediaPipe's Convolution2DTransposeBias
// (mediapipe_transpose_conv_bias.cc).
#pragma once

#include <algorithm>
#include <cstdint>

namespace qlite {

struct TransposeConvGeometry {
  int batches = 0, in_height = 0, in_width = 0, in_channels = 0;
  int filter_height = 0, filter_width = 0;
  int out_height = 0, out_width = 0, out_channels = 0;
  int stride_height = 0, stride_width = 0;
  int pad_height = 0, pad_width = 0;
};

// Every input value adds input[b, y, x, ic] * filter[oc, ky, kx, ic] to the
// accumulator of output (b, y * stride - pad + ky, x * stride - pad + kx, oc),
// in TFLite's reference order (input row, column, channel, filter row,
// column, output channel), skipping positions outside the output. The
// accumulators start at zero, or at initial[oc] when given (MediaPipe adds
// its bias first, and float sums depend on the order). `acc` may be the
// output itself when Math::Output only returns the sum.
template <typename Math>
void TransposeConvLoop(const TransposeConvGeometry& d, const typename Math::InputType* input,
                       const typename Math::FilterType* filter, typename Math::OutputType* output,
                       typename Math::Acc* acc, const Math& math,
                       const typename Math::Acc* initial = nullptr) {
  const int64_t out_count =
      static_cast<int64_t>(d.batches) * d.out_height * d.out_width * d.out_channels;
  for (int64_t i = 0; i < out_count; ++i) {
    acc[i] = initial != nullptr ? initial[i % d.out_channels] : typename Math::Acc{0};
  }
  const int64_t filter_oc_stride =
      static_cast<int64_t>(d.filter_height) * d.filter_width * d.in_channels;
  for (int b = 0; b < d.batches; ++b) {
    for (int in_y = 0; in_y < d.in_height; ++in_y) {
      const int64_t out_y_origin = static_cast<int64_t>(in_y) * d.stride_height - d.pad_height;
      for (int in_x = 0; in_x < d.in_width; ++in_x) {
        const int64_t out_x_origin = static_cast<int64_t>(in_x) * d.stride_width - d.pad_width;
        for (int ic = 0; ic < d.in_channels; ++ic) {
          const auto x =
              input[((static_cast<int64_t>(b) * d.in_height + in_y) * d.in_width + in_x) *
                        d.in_channels +
                    ic];
          for (int ky = 0; ky < d.filter_height; ++ky) {
            const int64_t out_y = out_y_origin + ky;
            if (out_y < 0 || out_y >= d.out_height) continue;
            for (int kx = 0; kx < d.filter_width; ++kx) {
              const int64_t out_x = out_x_origin + kx;
              if (out_x < 0 || out_x >= d.out_width) continue;
              typename Math::Acc* out_pixel =
                  acc + ((static_cast<int64_t>(b) * d.out_height + out_y) * d.out_width + out_x) *
                            d.out_channels;
              const typename Math::FilterType* weights =
                  filter + (static_cast<int64_t>(ky) * d.filter_width + kx) * d.in_channels + ic;
              for (int oc = 0; oc < d.out_channels; ++oc) {
                out_pixel[oc] += math.Tap(x, weights[oc * filter_oc_stride]);
              }
            }
          }
        }
      }
    }
  }
  for (int64_t i = 0; i < out_count; ++i) {
    output[i] = math.Output(acc[i], static_cast<int>(i % d.out_channels));
  }
}

}  // namespace qlite
