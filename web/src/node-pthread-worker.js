// A worker_threads worker that runs the threaded module's worker script
// (dist/qlite-threads.worker.js, workerData.script) as if in a Web Worker:
// self, postMessage, and self.onmessage fed from the parent port. Messages
// that arrive before the script has set onmessage wait for it.
import { parentPort, workerData } from 'node:worker_threads';

globalThis.self = globalThis;
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
const early = [];
let ready = false;
parentPort.on('message', (data) => {
  if (ready) globalThis.onmessage({ data });
  else early.push(data);
});
await import(workerData.script);
ready = true;
for (const data of early) globalThis.onmessage({ data });
