import { describe, expect, it } from 'vitest';
import { applyEditGroups, applyEdits } from '../../src/core/edit.js';

describe('applyEditGroups', () => {
  it('applies non-overlapping edits regardless of the order given', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'E' },
        { start: 0, end: 1, text: 'A' },
      ]),
    ).toBe('AbcdEf');
  });

  it('keeps two insertions at one offset in the order given', () => {
    expect(
      applyEdits('ab', [
        { start: 1, end: 1, text: 'X' },
        { start: 1, end: 1, text: 'Y' },
      ]),
    ).toBe('aXYb');
  });

  it('defers a group that overlaps an earlier one, whole', () => {
    const r = applyEditGroups('0123456789', [
      [{ start: 2, end: 5, text: '' }],
      [
        { start: 8, end: 9, text: 'x' },
        { start: 4, end: 6, text: 'y' },
      ],
    ]);
    expect(r.text).toBe('0156789');
    expect(r.applied).toEqual([0]);
    expect(r.deferred).toEqual([1]);
  });

  it('treats an insertion strictly inside a replaced range as a conflict, at its edge as none', () => {
    expect(
      applyEditGroups('abcd', [[{ start: 1, end: 3, text: '' }], [{ start: 2, end: 2, text: 'X' }]])
        .deferred,
    ).toEqual([1]);
    expect(
      applyEditGroups('abcd', [[{ start: 1, end: 3, text: '' }], [{ start: 3, end: 3, text: 'X' }]])
        .text,
    ).toBe('aXd');
  });

  it('defers a group whose own edits overlap, and edits out of bounds', () => {
    const r = applyEditGroups('abc', [
      [
        { start: 0, end: 2, text: '' },
        { start: 1, end: 3, text: '' },
      ],
      [{ start: 2, end: 9, text: '' }],
    ]);
    expect(r.text).toBe('abc');
    expect(r.deferred).toEqual([0, 1]);
  });
});
