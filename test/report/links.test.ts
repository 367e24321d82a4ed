import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOMEPAGE, transformDocs } from '../../src/report/links.js';
import { TRANSFORMS } from '../../transforms/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('the documentation links', () => {
  it("are package.json's homepage", () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).homepage).toBe(HOMEPAGE);
  });

  it('lead to a README section for every transform', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const t of TRANSFORMS) {
      expect(transformDocs(t.id)).toBe(`${HOMEPAGE}#${t.id}`);
      expect(readme).toContain(`\n### ${t.id}\n`);
    }
  });
});
