#include "kernels_wasm/requantize.h"

#include <algorithm>
#include <cmath>
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
void RequantizeTile(const ChannelRequantization& rq, const int32_t* acc, int64_t count, int8_t* out,
                    Requantize16Fn requantize16) {
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

// 16 values through Apply (short path or general).
v128_t ApplyToGroupOf16(const ChannelRequantization& rq, const int32_t* acc, int channel) {
  v128_t q[4];
  for (int j = 0; j < 4; ++j) q[j] = rq.Apply(wasm_v128_load(acc + 4 * j), channel + 4 * j);
  return NarrowToInt8(q[0], q[1], q[2], q[3]);  // Apply clamped already
}

void RequantizeTileGeneral(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                           int8_t* out) {
  RequantizeTile(rq, acc, count, out,
                 [&rq](const int32_t* a, int channel) { return ApplyToGroupOf16(rq, a, channel); });
}

// The short path on 16 values; kShift > 0 is its final shift T known at
// compile time (a shift by a run-time amount costs engines two more
// instructions per vector), 0 reads it from rq. Holds copies of the
// constants (see RequantizeTile).
template <int kShift>
struct ShortPathGroupOf16 {
  explicit ShortPathGroupOf16(const ChannelRequantization& rq)
      : constants(rq.short_constants()),
        low(wasm_i8x16_splat(static_cast<int8_t>(rq.act_min))),
        high(wasm_i8x16_splat(static_cast<int8_t>(rq.act_max))),
        shift(kShift > 0 ? kShift : rq.short_shift) {}

  v128_t operator()(const int32_t* a, int channel) const {
    int s = shift;
#if defined(__wasm__)
    // A run-time shift: left visible, LLVM hoists its splat out of the loop
    // and, no longer seeing a splat, shifts lane by lane in scalar code.
    if (kShift == 0) __asm__ volatile("" : "+r"(s));
#endif
    v128_t q[4];
    for (int j = 0; j < 4; ++j) {
      q[j] = ScaleShortX4(wasm_v128_load(a + 4 * j), constants, channel + 4 * j, s);
    }
    return wasm_i8x16_min(wasm_i8x16_max(NarrowToInt8(q[0], q[1], q[2], q[3]), low), high);
  }

  ShortPathConstants constants;
  v128_t low, high;
  int shift;
};

template <int kShift>
void RequantizeTileShort(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                         int8_t* out) {
  RequantizeTile(rq, acc, count, out, ShortPathGroupOf16<kShift>(rq));
}

// The float path, 16 values at a time; groups with a lane it did not prove
// go through RequantizeGroupOf16Exact.
template <FloatForm kForm>
void RequantizeTileFloat(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                         int8_t* out) {
  RequantizeTile(
      rq, acc, count, out,
      [&rq, requantizer = FloatRequantizer(rq)](const int32_t* a, int channel) {
        const v128_t values[4] = {wasm_v128_load(a), wasm_v128_load(a + 4), wasm_v128_load(a + 8),
                                  wasm_v128_load(a + 12)};
        v128_t bytes;
        if (requantizer.template TryRequantizeGroupOf16<kForm>(values, channel, &bytes)) {
          return bytes;
        }
        return rq.RequantizeGroupOf16Exact(a, channel);
      });
}

// XNNPACK's requantization on 16 values.
void RequantizeTileXnnpack(const ChannelRequantization& rq, const int32_t* acc, int64_t count,
                           int8_t* out) {
  RequantizeTile(rq, acc, count, out, [&rq](const int32_t* a, int channel) {
    v128_t q[4];
    for (int j = 0; j < 4; ++j) q[j] = rq.ApplyXnnpack(wasm_v128_load(a + 4 * j), channel + 4 * j);
    return NarrowToInt8(q[0], q[1], q[2], q[3]);
  });
}

}  // namespace

void ChannelRequantization::UseXnnpackScales(const std::vector<float>& scales) {
  xnnpack = channels > 0 && static_cast<int>(scales.size()) == channels;
  if (!xnnpack) return;
  xnnpack_scale.assign(channels + kWrapLanes, 0.0f);
  for (size_t i = 0; i < xnnpack_scale.size(); ++i) xnnpack_scale[i] = scales[i % channels];
  // XNNPACK clamps before adding the zero point, whatever the op.
  clamp_min = act_min - output_offset;
  clamp_max = act_max - output_offset;
  short_path = false;
  float_path = false;
}

int32_t FloatLimitBits(double limit) {
  float rounded = static_cast<float>(limit);
  if (rounded > limit) rounded = std::nextafter(rounded, 0.0f);
  int32_t bits;
  std::memcpy(&bits, &rounded, sizeof(bits));
  return bits << 1;
}

bool ChannelRequantization::MergedFloorHolds() const {
  if (channels == 0 || left_bits != 0 || may_saturate || !nonnegative_multipliers) return false;
  for (int c = 0; c < channels; ++c) {
    if (right_shift[c] < 1) return false;
  }
  return true;
}

void ChannelRequantization::InitShortPath() {
  short_max_right_shift = 0;
  short_shift = 0;
  if (!MergedFloorHolds()) return;
  int max_shift = 0;
  for (int c = 0; c < channels; ++c) {
    if (right_shift[c] > kShortMaxShift) return;
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

void ChannelRequantization::InitFloatPath(int64_t bound) {
  float_path = false;
  float_form = FloatForm::kSigned;
  if (!MergedFloorHolds()) return;
  if (bound < 0 || bound >= (int64_t{1} << 24)) return;
  // Where |v| >= 2^10 the proof relies on clamping: |n|, |q| >= 1023.
  if (std::abs(output_offset) > 512) return;
  // The entries wrap around the channels: `largest` is the largest channel's.
  double largest = 0;
  for (size_t i = 0; i < float_scale.size(); ++i) {
    const int r = right_shift[i];
    const double scale = std::ldexp(static_cast<double>(multiplier[i]), -31 - r);
    largest = std::max(largest, scale);
    float_scale[i] = static_cast<float>(scale);
    float_nudge[i] = std::ldexp(1.0f, -r - 1);
  }
  // |y + zero point| < 2^22 keeps the rounding add inside [2^23, 2^24).
  if (static_cast<double>(bound) * largest + std::abs(output_offset) >= (1 << 21)) return;
  float_limit_bits = FloatLimitBits(0.5 - std::ldexp(1.0, -11));
  float_offset = static_cast<float>(1.5 * (1 << 23) + output_offset);
  if (output_offset <= act_min) {
    float_form = output_offset == act_min && act_max == 127 ? FloatForm::kSaturating
                                                            : FloatForm::kNonNegative;
  }
  float_path = true;
}

void ChannelRequantization::SetAccumulatorBound(int64_t bound) {
  if (xnnpack) return;  // one path only
  InitFloatPath(bound);
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

// Out of line: rare, and one copy serves every caller.
__attribute__((noinline)) v128_t ChannelRequantization::RequantizeGroupOf16Exact(
    const int32_t* acc, int channel) const {
  if (!short_path || xnnpack) return ApplyToGroupOf16(*this, acc, channel);
  switch (short_shift) {
    case 12: return ShortPathGroupOf16<12>(*this)(acc, channel);
    case 16: return ShortPathGroupOf16<16>(*this)(acc, channel);
    case 20: return ShortPathGroupOf16<20>(*this)(acc, channel);
    default: return ShortPathGroupOf16<0>(*this)(acc, channel);
  }
}

void ChannelRequantization::RequantizeToInt8(const int32_t* acc, int64_t count, int8_t* out) const {
  if (count <= 0) return;
  if (xnnpack) {
    RequantizeTileXnnpack(*this, acc, count, out);
    return;
  }
  static_assert(
      kFixedShortShifts[0] == 12 && kFixedShortShifts[1] == 16 && kFixedShortShifts[2] == 20,
      "one case per fixed shift");
  if (float_path) {
    WithFloatForm(float_form, [&](auto form) {
      RequantizeTileFloat<decltype(form)::value>(*this, acc, count, out);
    });
    return;
  }
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
