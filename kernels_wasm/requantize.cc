#include "kernels_wasm/requantize.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace qlite {
namespace simd {
namespace {

// 16 accumulators from `acc` (channels `channel`..+15, wrapping) -> 16 int8.
template <bool kShort>
inline v128_t Requantize16(const ChannelRequantization& rq, const int32_t* acc, int channel) {
  v128_t q[4];
  for (int j = 0; j < 4; ++j) {
    const v128_t a = wasm_v128_load(acc + 4 * j);
    q[j] = kShort ? rq.ScaleShort(a, channel + 4 * j) : rq.Apply(a, channel + 4 * j);
  }
  // Saturating narrows keep every value inside [-128, 127] as it is and move
  // the others to the nearer end, so clamping after them is exact.
  const v128_t bytes = wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(q[0], q[1]),
                                               wasm_i16x8_narrow_i32x4(q[2], q[3]));
  if (!kShort) return bytes;  // Apply clamped already
  return wasm_i8x16_min(wasm_i8x16_max(bytes, wasm_i8x16_splat(static_cast<int8_t>(rq.act_min))),
                        wasm_i8x16_splat(static_cast<int8_t>(rq.act_max)));
}

template <bool kShort>
void RequantizeTile(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                    int8_t* out) {
  const int step = 16 % rq.channels;
  int channel = 0;
  int64_t i = 0;
  for (; i + 16 <= count; i += 16) {
    wasm_v128_store(out + i, Requantize16<kShort>(rq, acc + i, channel));
    channel += step;
    if (channel >= rq.channels) channel -= rq.channels;
  }
  if (i < count) {
    const int rest = static_cast<int>(count - i);
    int32_t tail[16] = {};
    std::memcpy(tail, acc + i, rest * sizeof(int32_t));
    int8_t bytes[16];
    wasm_v128_store(bytes, Requantize16<kShort>(rq, tail, channel));
    std::memcpy(out + i, bytes, rest);
  }
}

}  // namespace

void ChannelRequantization::InitShortPath(int32_t output_zero_point) {
  short_shift = 0;
  if (channels == 0 || left_bits != 0 || may_saturate || !nonnegative_multipliers) return;
  int max_shift = 0;
  for (int c = 0; c < channels; ++c) {
    if (right_shift[c] < 1 || right_shift[c] > kShortMaxShift) return;
    max_shift = std::max(max_shift, right_shift[c]);
  }
  const int t = max_shift + 1;
  // |hi32| < 2^30 and the added constants must stay inside int32.
  const int64_t largest_add = (int64_t{1} << (t - 1)) + (int64_t{1} << t) +
                              std::abs(int64_t{output_zero_point}) * (int64_t{1} << t);
  if ((int64_t{1} << 30) + largest_add >= (int64_t{1} << 31)) return;
  short_shift = t;
  for (size_t i = 0; i < short_factor.size(); ++i) {
    const int s = t + 1 - right_shift[i];
    short_factor[i] = 1 << s;
    short_add[i] = (1 << (t - 1)) + (1 << (s - 2)) + output_zero_point * (1 << t);
    short_negative[i] = 1 << (s - 1);
  }
}

void ChannelRequantization::SetAccumulatorBound(int64_t bound) {
  short_path = false;
  if (short_shift == 0 || bound < 0) return;
  for (int c = 0; c < channels; ++c) {
    // x * 2^s must fit int32.
    const int s = short_shift + 1 - right_shift[c];
    if (bound >= (int64_t{1} << (31 - s))) return;
  }
  short_path = true;
}

void ChannelRequantization::RequantizeToInt8(const int32_t* acc, int64_t count,
                                             int8_t* out) const {
  if (count <= 0) return;
  if (short_path) {
    RequantizeTile<true>(*this, acc, count, out);
  } else {
    RequantizeTile<false>(*this, acc, count, out);
  }
}

}  // namespace simd
}  // namespace qlite
