#include "kernels_wasm/relaxed_dot.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace qlite {
namespace simd {
namespace {

RelaxedDot g_active = RelaxedDot::kUnavailable;

struct ProbeCase {
  int8_t a[16];
  int8_t b[16];
  int32_t c[4];
};

int32_t Wrap32(int64_t value) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(value)));
}

int32_t ExactLane(const ProbeCase& p, int lane, bool b_unsigned) {
  int64_t sum = p.c[lane];
  for (int j = 0; j < 4; ++j) {
    const int8_t b = p.b[4 * lane + j];
    sum += int64_t{p.a[4 * lane + j]} * (b_unsigned ? int64_t{static_cast<uint8_t>(b)} : b);
  }
  return Wrap32(sum);
}

// Uniform vectors at the edges (the largest products of either sign, b lanes
// at 127/128/255 where the behaviours part), accumulators that wrap, then
// seeded random ones.
std::vector<ProbeCase> ProbeCases() {
  std::vector<ProbeCase> cases;
  const int8_t a_values[] = {-128, -127, -1, 0, 1, 127};
  const int b_values[] = {0, 1, 64, 127, 128, 129, 200, 255};
  for (int8_t a : a_values) {
    for (int b : b_values) {
      ProbeCase p;
      std::memset(p.a, a, sizeof(p.a));
      std::memset(p.b, b, sizeof(p.b));
      for (int32_t& c : p.c) c = 0;
      cases.push_back(p);
      for (int32_t& c : p.c) c = a * b >= 0 ? INT32_MAX - 1000 : INT32_MIN + 1000;  // wraps
      cases.push_back(p);
    }
  }
  uint32_t state = 0x9e3779b9u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (int i = 0; i < 64; ++i) {
    ProbeCase p;
    for (int j = 0; j < 16; ++j) {
      p.a[j] = static_cast<int8_t>(next());
      p.b[j] = static_cast<int8_t>(next());
    }
    for (int32_t& c : p.c) c = static_cast<int32_t>(next());
    cases.push_back(p);
  }
  return cases;
}

#if !defined(__EMSCRIPTEN__)
EmulatedRelaxedDot g_emulated = EmulatedRelaxedDot::kNone;

int32_t SaturateInt16(int32_t v) { return v < -32768 ? -32768 : v > 32767 ? 32767 : v; }
#endif

}  // namespace

const char* RelaxedDotName(RelaxedDot mode) {
  switch (mode) {
    case RelaxedDot::kUnsigned: return "unsigned";
    case RelaxedDot::kSigned: return "signed";
    case RelaxedDot::kUnavailable: break;
  }
  return "unavailable";
}

#if !defined(__EMSCRIPTEN__)
void EmulateRelaxedDotForTesting(EmulatedRelaxedDot behaviour) { g_emulated = behaviour; }

v128_t RelaxedDotAdd(v128_t a, v128_t b, v128_t c) {
  int8_t av[16], bv[16];
  int32_t cv[4];
  wasm_v128_store(av, a);
  wasm_v128_store(bv, b);
  wasm_v128_store(cv, c);
  if (g_emulated == EmulatedRelaxedDot::kNone) {
    std::fprintf(stderr, "qlite: relaxed dot product used without an emulated behaviour\n");
    std::abort();
  }
  for (int lane = 0; lane < 4; ++lane) {
    int32_t products[4];
    for (int j = 0; j < 4; ++j) {
      const int8_t bj = bv[4 * lane + j];
      const int32_t b_value = g_emulated == EmulatedRelaxedDot::kSigned
                                  ? int32_t{bj}
                                  : int32_t{static_cast<uint8_t>(bj)};
      products[j] = av[4 * lane + j] * b_value;
    }
    int64_t sum = cv[lane];
    if (g_emulated == EmulatedRelaxedDot::kSaturating) {
      sum += SaturateInt16(products[0] + products[1]) + SaturateInt16(products[2] + products[3]);
    } else {
      sum += int64_t{products[0]} + products[1] + products[2] + products[3];
    }
    cv[lane] = Wrap32(sum);
  }
  return wasm_v128_load(cv);
}
#endif

RelaxedDot ProbeRelaxedDot() {
#if !defined(__EMSCRIPTEN__)
  if (g_emulated == EmulatedRelaxedDot::kNone) return RelaxedDot::kUnavailable;
#endif
  bool is_unsigned = true, is_signed = true;
  for (const ProbeCase& p : ProbeCases()) {
    int32_t out[4];
    wasm_v128_store(out,
                    RelaxedDotAdd(wasm_v128_load(p.a), wasm_v128_load(p.b), wasm_v128_load(p.c)));
    for (int lane = 0; lane < 4; ++lane) {
      is_unsigned = is_unsigned && out[lane] == ExactLane(p, lane, true);
      is_signed = is_signed && out[lane] == ExactLane(p, lane, false);
    }
  }
  // The probes set b's top bit, so at most one of the two can hold.
  if (is_unsigned) return RelaxedDot::kUnsigned;
  if (is_signed) return RelaxedDot::kSigned;
  return RelaxedDot::kUnavailable;
}

RelaxedDot UseRelaxedDot(bool on) {
  g_active = on ? ProbeRelaxedDot() : RelaxedDot::kUnavailable;
  return g_active;
}

RelaxedDot ActiveRelaxedDot() { return g_active; }

}  // namespace simd
}  // namespace qlite
