#include "kernels_wasm/requantize.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace qlite {
namespace simd {
namespace {

// Requantizes a flat tile 16 values at a time; requantize16(acc, channel)
// turns 16 accumulators of channels channel..channel + 15 (wrapping) into 16
// int8 values. Callers' lambdas hold copies of the constants' pointers: read
// through `rq` they would be reloaded after every store (which may alias).
template <typename Requantize16Fn>
void RequantizeTile(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                    int8_t* out, Requantize16Fn requantize16) {
  const int channels = rq.channels;
  const int step = 16 % channels;
  int channel = 0;
  int64_t i = 0;
  for (; i + 16 <= count; i += 16) {
    wasm_v128_store(out + i, requantize16(acc + i, channel));
    channel += step;
    if (channel >= channels) channel -= channels;
  }
  if (i < count) {
    const int rest = static_cast<int>(count - i);
    int32_t tail[16] = {};
    std::memcpy(tail, acc + i, rest * sizeof(int32_t));
    int8_t bytes[16];
    wasm_v128_store(bytes, requantize16(tail, channel));
    std::memcpy(out + i, bytes, rest);
  }
}

void RequantizeTileGeneral(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                           int8_t* out) {
  RequantizeTile(rq, acc, count, out, [&rq](const int32_t* a, int channel) {
    v128_t q[4];
    for (int j = 0; j < 4; ++j) q[j] = rq.Apply(wasm_v128_load(a + 4 * j), channel + 4 * j);
    return NarrowToInt8(q[0], q[1], q[2], q[3]);  // Apply clamped already
  });
}

// The short path; kShift > 0 is its final shift T known at compile time (a
// shift by a run-time amount costs engines two more instructions per vector),
// 0 reads it from rq.
template <int kShift>
void RequantizeTileShort(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                         int8_t* out) {
  const v128_t low = wasm_i8x16_splat(static_cast<int8_t>(rq.act_min));
  const v128_t high = wasm_i8x16_splat(static_cast<int8_t>(rq.act_max));
  const int shift = kShift > 0 ? kShift : rq.short_shift;
  const ShortPathConstants constants = rq.short_constants();
  RequantizeTile(rq, acc, count, out, [constants, low, high, shift](const int32_t* a, int channel) {
    v128_t q[4];
    for (int j = 0; j < 4; ++j) {
      q[j] = ScaleShortX4(wasm_v128_load(a + 4 * j), constants, channel + 4 * j, shift);
    }
    return wasm_i8x16_min(wasm_i8x16_max(NarrowToInt8(q[0], q[1], q[2], q[3]), low), high);
  });
}

}  // namespace

void ChannelRequantization::InitShortPath() {
  short_max_right_shift = 0;
  short_shift = 0;
  if (channels == 0 || left_bits != 0 || may_saturate || !nonnegative_multipliers) return;
  int max_shift = 0;
  for (int c = 0; c < channels; ++c) {
    if (right_shift[c] < 1 || right_shift[c] > kShortMaxShift) return;
    max_shift = std::max(max_shift, right_shift[c]);
  }
  short_max_right_shift = max_shift;
}

bool ChannelRequantization::ShortShiftFits(int t, int64_t bound) const {
  // |hi32| < 2^30 and the added constants must stay inside int32.
  const int64_t largest_add = (int64_t{1} << (t - 1)) + (int64_t{1} << t) +
                              std::abs(int64_t{output_offset}) * (int64_t{1} << t);
  if ((int64_t{1} << 30) + largest_add >= (int64_t{1} << 31)) return false;
  for (int c = 0; c < channels; ++c) {
    // x * 2^s must fit int32.
    const int s = t + 1 - right_shift[c];
    if (bound >= (int64_t{1} << (31 - s))) return false;
  }
  return true;
}

void ChannelRequantization::SetAccumulatorBound(int64_t bound) {
  short_path = false;
  short_shift = 0;
  if (short_max_right_shift == 0 || bound < 0) return;
  int t = short_max_right_shift + 1;
  for (int fixed : kFixedShortShifts) {
    if (fixed >= t) {
      if (ShortShiftFits(fixed, bound)) t = fixed;
      break;
    }
  }
  if (!ShortShiftFits(t, bound)) return;
  short_shift = t;
  for (size_t i = 0; i < short_factor.size(); ++i) {
    const int s = t + 1 - right_shift[i];
    short_factor[i] = 1 << s;
    short_add[i] = (1 << (t - 1)) + (1 << (s - 2)) + output_offset * (1 << t);
    short_negative[i] = 1 << (s - 1);
  }
  short_path = true;
}

void ChannelRequantization::RequantizeToInt8(const int32_t* acc, int64_t count,
                                             int8_t* out) const {
  if (count <= 0) return;
  static_assert(kFixedShortShifts[0] == 12 && kFixedShortShifts[1] == 16 &&
                kFixedShortShifts[2] == 20, "one case per fixed shift");
  if (!short_path) {
    RequantizeTileGeneral(*this, acc, count, out);
    return;
  }
  switch (short_shift) {
    case 12: return RequantizeTileShort<12>(*this, acc, count, out);
    case 16: return RequantizeTileShort<16>(*this, acc, count, out);
    case 20: return RequantizeTileShort<20>(*this, acc, count, out);
    default: return RequantizeTileShort<0>(*this, acc, count, out);
  }
}

}  // namespace simd
}  // namespace qlite
