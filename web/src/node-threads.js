// The threaded module in Node. Its glue (an ENVIRONMENT=web,worker build)
// starts its pool with `new Worker(url)` and its worker script expects a
// worker scope (self, onmessage, postMessage); Node has worker_threads
// instead. WebWorkerOnNode gives the glue a Web Worker's shape over a
// worker_threads Worker that runs node-pthread-worker.js, which gives the
// worker script its scope. Loaded only in Node (index.js imports it by a
// computed specifier, so bundlers leave it out).
import { Worker } from 'node:worker_threads';

const BOOTSTRAP_URL = new URL('./node-pthread-worker.js', import.meta.url);

// While withWorkersOnNode loads the module: fails the load when a worker
// dies before it has loaded (the glue would wait for it forever).
let failLoad = null;

// The process's own flags, but not --input-type (for `node -e` only: a
// worker given a file fails with it). Node refuses V8 flags in a worker's
// execArgv (`node --experimental-wasm-relaxed-simd`); those are process-wide
// and reach the worker anyway, so then it starts with no flags of its own.
function startWorker(script) {
  const execArgv = process.execArgv.filter((arg, i, all) =>
    !arg.startsWith('--input-type') && all[i - 1] !== '--input-type');
  try {
    return new Worker(BOOTSTRAP_URL, { workerData: { script }, execArgv });
  } catch (error) {
    if (error?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(BOOTSTRAP_URL, { workerData: { script }, execArgv: [] });
  }
}

export class WebWorkerOnNode {
  #worker;

  constructor(scriptUrl) {
    this.onmessage = null;
    this.onerror = null;
    this.#worker = startWorker(String(scriptUrl));
    // An idle pool must not keep Node running after the caller is done, but
    // the load waits for each worker's first message ('loaded').
    let loaded = false;
    this.#worker.once('message', () => {
      loaded = true;
      this.#worker.unref();
    });
    this.#worker.on('message', (data) => this.onmessage?.({ data }));
    const fail = failLoad;
    this.#worker.on('error', (error) => {
      if (!loaded && fail) {
        fail(error);
        return;
      }
      // The glue's handler logs and rethrows, which in Node would end the
      // process from an event listener.
      try {
        this.onerror?.(error);
      } catch {
        // logged by the glue
      }
    });
    this.#worker.on('exit', (code) => {
      if (!loaded && fail) fail(new Error(`exited with code ${code} before it loaded`));
    });
  }

  postMessage(message, transfer) {
    this.#worker.postMessage(message, transfer);
  }

  terminate() {
    this.#worker.terminate();
  }
}

// Runs `instantiate` with globalThis.Worker set to WebWorkerOnNode (the glue
// starts its whole pool while it loads), then puts back what was there.
// A worker that fails before it has loaded rejects the load with an Error.
export async function withWorkersOnNode(instantiate) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, 'Worker');
  const previous = globalThis.Worker;
  let reject;
  const failed = new Promise((_, r) => { reject = r; });
  failLoad = (error) => reject(new Error('qlite: a worker of the threaded module failed: ' +
    (error?.message ?? String(error))));
  globalThis.Worker = WebWorkerOnNode;
  try {
    return await Promise.race([instantiate(), failed]);
  } finally {
    failLoad = null;
    if (had) globalThis.Worker = previous;
    else delete globalThis.Worker;
  }
}
