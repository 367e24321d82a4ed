/**
 * Where a reader finds dockmig's documentation: the README, as npm shows it, with a section per
 * transform (`#<id>`). The SARIF rules and the editor's diagnostics link there; package.json's
 * `homepage` says the same (test/report/links.test.ts).
 */
export const HOMEPAGE = 'https://www.npmjs.com/package/dockmig';

/** The README section of a transform. */
export function transformDocs(id: string): string {
  return `${HOMEPAGE}#${id}`;
}
