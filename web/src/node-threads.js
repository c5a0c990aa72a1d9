// The threaded module in Node. Its glue (an ENVIRONMENT=web,worker build)
// starts its pool with `new Worker(url)` and its worker script expects a
// worker scope (self, onmessage, postMessage); Node has worker_threads
// instead. WebWorkerOnNode gives the glue a Web Worker's shape over a
// worker_threads Worker that runs node-pthread-worker.js, which gives the
// worker script its scope. Loaded only in Node (index.js imports it by a
// computed specifier, so bundlers leave it out).
import { Worker } from 'node:worker_threads';

const BOOTSTRAP_URL = new URL('./node-pthread-worker.js', import.meta.url);

export class WebWorkerOnNode {
  #worker;

  constructor(scriptUrl) {
    this.onmessage = null;
    this.onerror = null;
    // The process's own flags, but not --input-type (for `node -e` only: a
    // worker given a file fails with it).
    const execArgv = process.execArgv.filter((arg, i, all) =>
      !arg.startsWith('--input-type') && all[i - 1] !== '--input-type');
    this.#worker = new Worker(BOOTSTRAP_URL, {
      workerData: { script: String(scriptUrl) }, execArgv,
    });
    // An idle pool must not keep Node running after the caller is done, but
    // the load waits for each worker's first message ('loaded').
    this.#worker.once('message', () => this.#worker.unref());
    this.#worker.on('message', (data) => this.onmessage?.({ data }));
    this.#worker.on('error', (error) => this.onerror?.(error));
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
export async function withWorkersOnNode(instantiate) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, 'Worker');
  const previous = globalThis.Worker;
  globalThis.Worker = WebWorkerOnNode;
  try {
    return await instantiate();
  } finally {
    if (had) globalThis.Worker = previous;
    else delete globalThis.Worker;
  }
}
