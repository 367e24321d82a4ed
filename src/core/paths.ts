/** Paths as Dockerfiles, build contexts and Compose files spell them: `/`-separated, on any host. */

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** Join and normalise `/`-separated relative paths (`..` kept where it leaves the start). */
export function joinPath(...parts: string[]): string {
  const out: string[] = [];
  let absolute = false;
  for (const part of parts) {
    if (part.startsWith('/')) {
      out.length = 0;
      absolute = true;
    }
    for (const seg of part.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (seg === '..' && absolute) continue;
      else out.push(seg);
    }
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}
