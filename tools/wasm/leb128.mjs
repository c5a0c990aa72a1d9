// Unsigned LEB128, as the wasm binary format writes counts, sizes and
// indices; shared by the post-link tools and the byte-built test modules.

/** The number at bytes[at] and the offset after it. */
export function readU32(bytes, at) {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= bytes.length) throw new Error('LEB128 number runs past the end');
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return { value, next: at };
  }
  throw new Error('bad LEB128 number');
}

/** The shortest encoding of `value`. */
export function encodeU32(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}
