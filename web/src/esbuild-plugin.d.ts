/**
 * esbuild plugin that copies qlite's .wasm files into the output directory
 * and points the bundle at them (esbuild does not follow
 * `new URL('./x.wasm', import.meta.url)` by itself). Use with bundle: true,
 * format: 'esm': `plugins: [qliteWasm()]`.
 */
export default function qliteWasm(): { name: string; setup(build: unknown): void };
