// Compares outputs of qlite.relaxed.wasm with the reference kernels' (no side
// effects on import: child processes of the tests load it too).
// qlite.relaxed.wasm sums float products with f32x4.relaxed_madd, which FMA
// engines fuse (kernels_wasm/fused_mul_add.h): its float outputs may differ
// from the reference kernels' in the last bits. Allowed: 1e-5, relative to
// max(1, |reference|), the tolerance the comparisons with LiteRT.js use;
// measured in Chromium on an x86 with FMA3: at most 1.7e-6 (one-op models).
export const FUSED_FLOAT_TOLERANCE = 1e-5;

// '' when the hex-encoded outputs (joined by '|') are the same bytes, or when
// every float32 output (dtypes[i]) is within FUSED_FLOAT_TOLERANCE; else what
// differs.
export function sameOrFusedClose(actualHex, expectedHex, dtypes) {
  const actual = actualHex.split('|');
  const expected = expectedHex.split('|');
  if (actual.length !== expected.length) return `${actual.length} outputs, not ${expected.length}`;
  for (let o = 0; o < actual.length; ++o) {
    if (actual[o] === expected[o]) continue;
    if (dtypes[o] !== 'float32' || actual[o].length !== expected[o].length) {
      return `output ${o} (${dtypes[o]}) differs`;
    }
    const floats = (hex) => new Float32Array(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);
    const [a, b] = [floats(actual[o]), floats(expected[o])];
    for (let i = 0; i < a.length; ++i) {
      const diff = Math.abs(a[i] - b[i]);
      if (!(Object.is(a[i], b[i]) || diff <= FUSED_FLOAT_TOLERANCE * Math.max(1, Math.abs(b[i])))) {
        return `output ${o} value ${i}: ${a[i]}, reference ${b[i]}`;
      }
    }
  }
  return '';
}

// Whether a compare-page result's SIMD run agrees with its reference run:
// the same values, or float32 values within FUSED_FLOAT_TOLERANCE.
export function simdAgrees(r) {
  return r.simdEqual || (r.dtype === 'float32' && r.simdMaxRel <= FUSED_FLOAT_TOLERANCE);
}
