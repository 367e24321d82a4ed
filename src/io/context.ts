/** Reads the build context around a Dockerfile from disk into the plain ProjectContext. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gatherContext } from '../core/context.js';
import type { Doc } from '../core/document.js';
import type { ProjectContext } from '../core/types.js';

export function loadContext(dockerfile: string, contextDir: string, doc: Doc): ProjectContext {
  return gatherContext(doc, relative(contextDir, dockerfile).split(sep).join('/'), {
    read(name) {
      const path = join(contextDir, name);
      try {
        return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    exists: (name) => existsSync(join(contextDir, name)),
  });
}
