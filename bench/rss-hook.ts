/** Loaded with `node --import` by the benchmark: records the process's peak RSS (KiB) at exit. */
import { writeFileSync } from 'node:fs';

const file = process.env.DOCKMIG_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
