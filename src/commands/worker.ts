/** A worker thread of a large run: processes its share of the files and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MigrationOptions } from '../core/types.js';
import { processFile } from './process-file.js';

interface Job {
  files: string[];
  cwd: string;
  context: string | null;
  options: MigrationOptions;
  maxSize: number;
}

const job = workerData as Job;
parentPort!.postMessage(
  job.files.map((file) => processFile(file, job.cwd, job.context, job.options, job.maxSize)),
);
