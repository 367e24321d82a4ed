/** A worker thread of a large run: processes its share of the files and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MigrationOptions } from '../core/types.js';
import { processFile } from './process-file.js';

interface Job {
  files: string[];
  cwd: string;
  context: string | null;
  /** Options for each file, in order. */
  options: MigrationOptions[];
  maxSize: number;
}

const job = workerData as Job;
const out = job.files.map((file, i) => {
  const p = processFile(file, job.cwd, job.context, job.options[i], job.maxSize);
  if (i % 25 === 24) parentPort!.postMessage({ progress: 25 });
  return p;
});
parentPort!.postMessage(out);
