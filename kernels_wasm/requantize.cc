#include "kernels_wasm/requantize.h"

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
