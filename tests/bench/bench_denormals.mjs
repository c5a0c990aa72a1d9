// Denormal (subnormal) float32 values per layer, on the inputs the browser
// benchmark fed. The JS API cannot read intermediate tensors, so the native
// `qlite run --denormals` counts them (SIMD kernels, nodes not fused so that
// every tensor is written). In wasm, which has no flush-to-zero, each
// denormal operand can cost a slow path on x86; a nonzero count makes a speed
// comparison depend on the inputs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  int32: Int32Array };

// { total, nodes: [{ node, op, tensor, count, elements }], constants, constantValues }, or { error }.
export function countDenormals(qlite, model, inputs, infos, dir) {
  mkdirSync(dir, { recursive: true });
  const files = inputs.map((values, i) => {
    const file = join(dir, `${basename(model, '.tflite')}.input${i}.bin`);
    const a = TYPED[infos[i].dtype].from(values);
    writeFileSync(file, new Uint8Array(a.buffer));
    return file;
  });
  let text;
  try {
    text = execFileSync(qlite, ['run', model, ...files.flatMap((f) => ['--input', f]), '--kernels', 'simd',
      '--denormals'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (e) {
    return { error: String(e.stderr || e.message).trim() };
  }
  const nodes = [];
  let summary = null;
  for (const line of text.split('\n')) {
    let m = /^denormals node (\d+) (\S+) '(.*)': (\d+) of (\d+)$/.exec(line);
    if (m) nodes.push({ node: +m[1], op: m[2], tensor: m[3], count: +m[4], elements: +m[5] });
    m = /^denormals total (\d+) in (\d+) of (\d+) nodes .*; constants (\d+) of (\d+)$/.exec(line);
    if (m) summary = { total: +m[1], nodesWith: +m[2], floatNodes: +m[3], constants: +m[4], constantValues: +m[5] };
  }
  if (!summary) return { error: `no 'denormals total' line from ${qlite} run --denormals` };
  return { ...summary, nodes: nodes.sort((a, b) => b.count - a.count) };
}

// One line: the count and where most of them are.
export function describeDenormals(d) {
  if (!d) return 'not counted';
  if (d.error) return `not counted (${d.error.split('\n')[0]})`;
  if (d.floatNodes === 0 && d.constantValues === 0) return '0 (no float32 tensors)';
  const worst = d.nodes.slice(0, 3).map((n) => `node ${n.node} ${n.op} ${n.count}/${n.elements}`).join(', ');
  return `${d.total} in ${d.nodesWith} of ${d.floatNodes} float32 node outputs` +
    (worst ? ` (${worst})` : '') + `; constants ${d.constants} of ${d.constantValues}`;
}
