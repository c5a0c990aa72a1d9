// Emscripten JS library: the imports behind simd::RelaxedDotAdd and
// simd::MulAdd under Emscripten (kernels_wasm/relaxed_dot.h,
// fused_mul_add.h). tools/wasm/relax_dot.mjs replaces every call of them
// with instructions after linking; in a module that was not patched, a call
// lands here and fails loudly.
mergeInto(LibraryManager.library, {
  qlite_relaxed_dot_i8x16_i7x16_add_s: function() {
    throw new Error('qlite: relaxed dot product called in a wasm build that was not patched ' +
      'by tools/wasm/relax_dot.mjs');
  },
  qlite_relaxed_madd_f32x4: function() {
    throw new Error('qlite: float multiply-add called in a wasm build that was not patched ' +
      'by tools/wasm/relax_dot.mjs');
  },
});
