// The threaded main module (qlite-threads.wasm) has a shared memory; a module
// must declare an imported memory shared to be linked to it. The side modules
// (qlite-ops.wasm, qlite-quantize.wasm) are built once, without pthreads, and
// run on the calling thread only, so the package ships one copy of each and
// marks their memory import shared when it links them into the threaded
// module: the import's limits become (shared, min, max = 4 GiB). Their code
// needs no change: plain loads and stores are valid on a shared memory.

const IMPORT_SECTION = 2;
const MEMORY_IMPORT = 2;
const MAX_PAGES = 65536; // 4 GiB of 64 KiB pages: never below the memory's own maximum

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    if (at >= bytes.length) throw new Error('truncated LEB128 number');
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return { value, next: at };
}

function writeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

// The bytes of `wasm` (a Uint8Array) with its memory import made shared;
// `wasm` itself when the import is shared already. Throws if the module
// imports no memory (not a side module).
export function withSharedMemoryImport(wasm) {
  let at = 8; // magic and version
  while (at < wasm.length) {
    const id = wasm[at];
    const size = readLeb(wasm, at + 1);
    const start = size.next;
    const end = start + size.value;
    if (id === IMPORT_SECTION) {
      let p = readLeb(wasm, start).next; // import count
      while (p < end) {
        for (let name = 0; name < 2; ++name) { // module and field names
          const length = readLeb(wasm, p);
          p = length.next + length.value;
        }
        const kind = wasm[p++];
        if (kind === MEMORY_IMPORT) {
          const flags = wasm[p];
          if (flags & 2) return wasm; // shared already
          const min = readLeb(wasm, p + 1);
          const limitsEnd = flags & 1 ? readLeb(wasm, min.next).next : min.next;
          const limits = [3, ...writeLeb(min.value), ...writeLeb(MAX_PAGES)];
          const body = [...wasm.subarray(start, p), ...limits, ...wasm.subarray(limitsEnd, end)];
          const header = [IMPORT_SECTION, ...writeLeb(body.length)];
          const out = new Uint8Array(at + header.length + body.length + wasm.length - end);
          out.set(wasm.subarray(0, at), 0);
          out.set(header, at);
          out.set(body, at + header.length);
          out.set(wasm.subarray(end), at + header.length + body.length);
          return out;
        }
        // Skip the import's description: a function's type index, a table's
        // element type and limits, a global's type and mutability.
        if (kind === 0) {
          p = readLeb(wasm, p).next;
        } else if (kind === 1) {
          const flags = wasm[p + 1];
          p = readLeb(wasm, p + 2).next;
          if (flags & 1) p = readLeb(wasm, p).next;
        } else if (kind === 3) {
          p += 2;
        } else {
          throw new Error(`unknown import kind ${kind}`);
        }
      }
    }
    at = end;
  }
  throw new Error('the module imports no memory');
}
