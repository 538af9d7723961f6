/**
 * The run worker's entry (runWorker.ts): a worker thread with its own read-only connection to the
 * store, computing scoring jobs with the main thread's code (runs.ts computeJob) and posting the
 * numbers back with their buffers transferred. It never writes. Bundled by scripts/build.mjs as
 * dist/main/consultWorker.cjs and dist/electron/consultWorker.cjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { computeJob } from './runs';
import { packRun, type FromWorker, type RunWorkerData, type ToWorker } from './runWorker';

const port = parentPort;
if (!port) throw new Error('the consult run worker runs in a worker thread');
const data = workerData as RunWorkerData;

// Opening fails here (no file, an addon built for another ABI…) and the thread ends before 'ready':
// the main thread then computes the runs itself.
const db = new Database(data.file, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536'); // 64 MiB, as the core's connection

const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'run') return;
  try {
    const { run, transfer } = packRun(computeJob(db, m.job));
    post({ type: 'done', id: m.id, run }, transfer);
  } catch (err) {
    post({ type: 'failed', id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
post({ type: 'ready' });
