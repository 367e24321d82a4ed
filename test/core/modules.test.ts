import * as yaml from 'yaml';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyModule, provideModules } from '../../src/core/modules.js';

afterEach(() => provideModules(null));

describe('the lazily loaded parsers', () => {
  it('under Node, come from Node on first use', () => {
    expect(lazyModule('yaml').parseDocument).toBe(yaml.parseDocument);
    expect(typeof (lazyModule('mvdanSh').syntax as { NewParser: unknown }).NewParser).toBe(
      'function',
    );
  });

  it('come from the host when it provides them (a browser bundle)', () => {
    const asked: string[] = [];
    const mvdan = createRequire(import.meta.url)('mvdan-sh');
    provideModules({
      yaml: () => (asked.push('yaml'), yaml),
      mvdanSh: () => (asked.push('mvdan-sh'), mvdan),
    });
    lazyModule('yaml');
    lazyModule('mvdanSh');
    expect(asked).toEqual(['yaml', 'mvdan-sh']);
  });

  it('without Node and without a host, say what is missing and how to give it', async () => {
    const saved = process.getBuiltinModule;
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
    try {
      vi.resetModules();
      const fresh = await import('../../src/core/modules.js');
      expect(() => fresh.lazyModule('yaml')).toThrow(/yaml package.*provideModules/);
    } finally {
      Object.defineProperty(process, 'getBuiltinModule', { value: saved, configurable: true });
    }
  });
});
