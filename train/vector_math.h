// The few vector loops every trainer layer is built from. They are written so
// that g++ -O3 vectorizes them without -ffast-math: Axpy has no reduction, and
// Dot/Sum keep 8 partial sums that are combined in a fixed order, so a result
// never depends on the machine's vector width or on scheduling.
#pragma once

namespace qlite::train {

// y[i] += a * x[i]
inline void Axpy(int n, float a, const float* __restrict x, float* __restrict y) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

// ReLU in place.
inline void ReluInPlace(int n, float* __restrict x) {
  for (int i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// Gradient through a ReLU given its output: dz[i] = out[i] > 0 ? dout[i] : 0.
inline void ReluGradient(int n, const float* __restrict out, const float* __restrict dout,
                         float* __restrict dz) {
  for (int i = 0; i < n; ++i) dz[i] = out[i] > 0.0f ? dout[i] : 0.0f;
}

// sum of x[i] * y[i]
inline float Dot(int n, const float* __restrict x, const float* __restrict y) {
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) partial[j] += x[i + j] * y[i + j];
  }
  for (int j = 0; i < n; ++i, ++j) partial[j] += x[i] * y[i];
  return ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
         ((partial[4] + partial[5]) + (partial[6] + partial[7]));
}

// sum of x[i]
inline float Sum(int n, const float* __restrict x) {
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) partial[j] += x[i + j];
  }
  for (int j = 0; i < n; ++i, ++j) partial[j] += x[i];
  return ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
         ((partial[4] + partial[5]) + (partial[6] + partial[7]));
}

}  // namespace qlite::train

namespace qlite::train {

// Four floats as one SSE/NEON/wasm-simd register (GCC/Clang vector extension;
// plain C++ elsewhere would be lowered to scalars, still correct).
typedef float Float4 __attribute__((vector_size(16)));

inline Float4 Load4(const float* p) {
  Float4 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void Store4(float* p, Float4 v) { __builtin_memcpy(p, &v, sizeof v); }
inline Float4 Splat4(float x) { return Float4{x, x, x, x}; }
inline float Reduce8(Float4 lo, Float4 hi) {
  const Float4 s = lo + hi;  // partial sums (x, x+4) as in Dot
  return (s[0] + s[1]) + (s[2] + s[3]);
}

// c[m][j] = (bias ? bias[m] : 0) + sum_k a[m][k] * b[k][j]
// a is rows x depth, b depth x cols, c rows x cols, all row-major. Register
// blocked: 4 rows x 8 columns of c stay in registers while k runs, so each
// b value loaded feeds 4 multiply-adds. Every c value is summed in k order,
// whichever block computes it.
inline void MatMulAddBias(int rows, int depth, int cols, const float* __restrict a,
                          const float* __restrict bias, const float* __restrict b,
                          float* __restrict c) {
  int m = 0;
  for (; m + 4 <= rows; m += 4) {
    const float* a0 = a + static_cast<size_t>(m) * depth;
    int j = 0;
    for (; j + 8 <= cols; j += 8) {
      Float4 acc[4][2];
      for (int r = 0; r < 4; ++r) acc[r][0] = acc[r][1] = Splat4(bias ? bias[m + r] : 0.0f);
      for (int k = 0; k < depth; ++k) {
        const float* bk = b + static_cast<size_t>(k) * cols + j;
        const Float4 b0 = Load4(bk), b1 = Load4(bk + 4);
        for (int r = 0; r < 4; ++r) {
          const Float4 ark = Splat4(a0[static_cast<size_t>(r) * depth + k]);
          acc[r][0] += ark * b0;
          acc[r][1] += ark * b1;
        }
      }
      for (int r = 0; r < 4; ++r) {
        float* cr = c + static_cast<size_t>(m + r) * cols + j;
        Store4(cr, acc[r][0]);
        Store4(cr + 4, acc[r][1]);
      }
    }
    for (; j < cols; ++j) {
      for (int r = 0; r < 4; ++r) {
        float acc = bias ? bias[m + r] : 0.0f;
        for (int k = 0; k < depth; ++k)
          acc += a0[static_cast<size_t>(r) * depth + k] * b[static_cast<size_t>(k) * cols + j];
        c[static_cast<size_t>(m + r) * cols + j] = acc;
      }
    }
  }
  for (; m < rows; ++m) {
    const float* am = a + static_cast<size_t>(m) * depth;
    float* cm = c + static_cast<size_t>(m) * cols;
    const float start = bias ? bias[m] : 0.0f;
    int j = 0;
    for (; j + 8 <= cols; j += 8) {
      Float4 acc0 = Splat4(start), acc1 = acc0;
      for (int k = 0; k < depth; ++k) {
        const float* bk = b + static_cast<size_t>(k) * cols + j;
        const Float4 ak = Splat4(am[k]);
        acc0 += ak * Load4(bk);
        acc1 += ak * Load4(bk + 4);
      }
      Store4(cm + j, acc0);
      Store4(cm + j + 4, acc1);
    }
    for (; j < cols; ++j) {
      float acc = start;
      for (int k = 0; k < depth; ++k) acc += am[k] * b[static_cast<size_t>(k) * cols + j];
      cm[j] = acc;
    }
  }
}

// c[i][n] += dot(a[i], b[n]) for a rows x len, b count x len: 4 dot products
// at a time share each loaded a value. Each dot keeps 8 partial sums combined
// in the same fixed order as Dot.
inline void AddDotsRowsByRows(int rows, int count, int len, const float* __restrict a,
                              const float* __restrict b, float* __restrict c) {
  for (int i = 0; i < rows; ++i) {
    const float* ai = a + static_cast<size_t>(i) * len;
    float* ci = c + static_cast<size_t>(i) * count;
    int n = 0;
    for (; n + 4 <= count; n += 4) {
      const float* bn = b + static_cast<size_t>(n) * len;
      Float4 acc[4][2] = {};
      int p = 0;
      for (; p + 8 <= len; p += 8) {
        const Float4 a0 = Load4(ai + p), a1 = Load4(ai + p + 4);
        for (int r = 0; r < 4; ++r) {
          acc[r][0] += a0 * Load4(bn + static_cast<size_t>(r) * len + p);
          acc[r][1] += a1 * Load4(bn + static_cast<size_t>(r) * len + p + 4);
        }
      }
      for (int r = 0; r < 4; ++r) {
        float partial[8];
        Store4(partial, acc[r][0]);
        Store4(partial + 4, acc[r][1]);
        const float* br = bn + static_cast<size_t>(r) * len;
        for (int q = p, x = 0; q < len; ++q, ++x) partial[x] += ai[q] * br[q];
        ci[n + r] += ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                     ((partial[4] + partial[5]) + (partial[6] + partial[7]));
      }
    }
    for (; n < count; ++n) ci[n] += Dot(len, ai, b + static_cast<size_t>(n) * len);
  }
}

}  // namespace qlite::train
