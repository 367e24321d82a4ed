import { describe, expect, it } from 'vitest';
import {
  inShard,
  masker,
  parseShard,
  repoFromRemote,
  skipReason,
  type RepoFilter,
} from '../../src/commands/repositories.js';

describe('repoFromRemote', () => {
  it.each([
    ['https://github.com/acme/api.git', 'acme/api'],
    ['https://github.com/acme/api', 'acme/api'],
    ['git@github.com:acme/api.git', 'acme/api'],
    ['ssh://git@github.example.com:2222/acme/api.git', 'acme/api'],
    ['http://127.0.0.1:8080/git/acme/api.git', 'acme/api'],
    ['https://x-access-token:abc@github.com/acme/my.repo.git', 'acme/my.repo'],
    ['/srv/git/api.git', 'git/api'],
    ['api.git', null],
  ])('%s -> %s', (url, expected) => {
    const r = repoFromRemote(url);
    expect(r ? `${r.owner}/${r.repo}` : null).toBe(expected);
  });
});

describe('shards', () => {
  const names = Array.from({ length: 300 }, (_, i) => `acme/service-${i}`);
  it('put every repository in exactly one shard, the same on every runner', () => {
    for (const n of [1, 2, 3, 7]) {
      const shards = Array.from({ length: n }, (_, k) =>
        names.filter((r) => inShard(r, { index: k + 1, count: n })),
      );
      expect(shards.flat().sort()).toEqual([...names].sort());
      for (const s of shards) expect(s.length).toBeGreaterThan(300 / n / 2);
    }
    expect(inShard('acme/x', null)).toBe(true);
  });
  it.each([
    ['1/3', { index: 1, count: 3 }],
    ['3/3', { index: 3, count: 3 }],
    ['0/3', null],
    ['4/3', null],
    ['a/b', null],
  ])('parseShard(%s)', (text, expected) => {
    expect(parseShard(text)).toEqual(expected);
  });
});

describe('skipReason', () => {
  const f: RepoFilter = {
    includeArchived: false,
    includeForks: false,
    include: [],
    exclude: ['*-legacy'],
    topic: null,
    shard: null,
  };
  const repo = { name: 'api', full_name: 'acme/api', clone_url: 'x', size: 5 };
  it.each([
    [{}, {}, null],
    [{ archived: true }, {}, 'archived'],
    [{ archived: true }, { includeArchived: true }, null],
    [{ fork: true }, {}, 'a fork'],
    [{ size: 0 }, {}, 'empty'],
    [{ name: 'api-legacy' }, {}, 'matched by --exclude'],
    [{}, { include: ['web-*'] }, 'not matched by --include'],
    [{ topics: ['python'] }, { topic: 'python' }, null],
    [{}, { topic: 'python' }, 'no topic "python"'],
  ])('%j with %j -> %s', (r, filter, expected) => {
    expect(skipReason({ ...repo, ...r }, { ...f, ...filter })).toBe(expected);
  });
});

describe('masker', () => {
  it('hides the token and its basic-auth form, leaves the rest', () => {
    const mask = masker(['ghp_secret123']);
    const basic = Buffer.from('x-access-token:ghp_secret123').toString('base64');
    expect(mask(`bad ghp_secret123 and ${basic} ok`)).toBe('bad *** and *** ok');
    expect(masker([null])('ghp_secret123')).toBe('ghp_secret123');
  });
});
