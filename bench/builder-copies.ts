/**
 * The corpus bench's check that a split loses nothing: what the builder copied from the build
 * context must reach the runtime stage. Pure (a Doc and what the context says of its paths), so it
 * is tested on its own.
 */
import { isBuildInput, isUnder, landingPath, type Doc } from '../src/core/document.js';

/**
 * The paths the first stage copied from the context that the final stage of a split does not
 * receive from it, build inputs, scratch places (`/tmp`) and files the builder deletes again left
 * out. `isDirectory` says whether a source, relative to the context, is a directory there.
 */
export function builderCopiesLost(out: Doc, isDirectory: (source: string) => boolean): string[] {
  const builder = out.stages[0];
  const final = out.finalStage;
  if (!final || final === builder) return [];
  const received = out
    .copies(final)
    .filter((c) => c.from === (builder.name ?? '0'))
    .flatMap((c) => c.sources);
  // A file the builder deletes again (`ADD .../install.sh /uv-installer.sh`, then `sh` it and
  // `rm` it) is not something the runtime could need.
  const removed = new Set(
    builder.instructions
      .filter((i) => i.keyword === 'RUN')
      .flatMap((i) => out.shell(i).commands)
      .filter((c) => c.words[0]?.value === 'rm')
      .flatMap((c) => c.words.slice(1).map((w) => w.value))
      .filter((v): v is string => v !== null && !v.startsWith('-')),
  );
  const lost = new Set<string>();
  for (const copy of out.copies(builder)) {
    if (copy.from !== null || !copy.target.exact || isUnder(copy.target.value, '/tmp')) continue;
    const intoDirectory = copy.dest.endsWith('/') || copy.sources.length > 1;
    for (const source of copy.sources) {
      if (isBuildInput(source)) continue;
      const landed = landingPath(source, copy.target.value, intoDirectory, isDirectory);
      if (removed.has(landed) || removed.has(copy.target.value.replace(/(.)\/$/, '$1'))) continue;
      if (!received.some((r) => isUnder(landed, r.replace(/(.)\/$/, '$1')))) lost.add(landed);
    }
  }
  return [...lost];
}
