// Emscripten JS library: the import behind simd::RelaxedDotAdd under
// Emscripten (kernels_wasm/relaxed_dot.h). tools/wasm/relax_dot.mjs replaces
// every call of it with i32x4.relaxed_dot_i8x16_i7x16_add_s after linking; in
// a module that was not patched, a call lands here and fails loudly.
mergeInto(LibraryManager.library, {
  qlite_relaxed_dot_i8x16_i7x16_add_s: function() {
    throw new Error('qlite: relaxed dot product called in a wasm build that was not patched ' +
      'by tools/wasm/relax_dot.mjs');
  },
});
