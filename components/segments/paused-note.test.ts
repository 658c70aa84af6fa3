import { describe, expect, it } from 'vitest';
import { pausedNote } from './paused-note';

const base = {
  pausedAt: new Date('2026-12-03T09:15:00Z'),
  evaluatedAt: new Date('2026-12-03T09:00:00Z'),
  members: 73,
};

describe('pausedNote', () => {
  it('names both versions and both times when the definition changed after the last evaluation', () => {
    expect(pausedNote({ ...base, evaluatedVersion: 1, currentVersion: 2 })).toBe(
      'Paused since 2026-12-03 09:15 UTC — the 73 members shown are from version 1 evaluated at 2026-12-03 09:00 UTC; resume to evaluate version 2.',
    );
  });

  it('says nothing extra while the members match the definition shown', () => {
    expect(pausedNote({ ...base, evaluatedVersion: 2, currentVersion: 2 })).toBeNull();
  });

  it('agrees with a single member and copes with an unrecorded pause', () => {
    expect(pausedNote({ ...base, pausedAt: null, members: 1, evaluatedVersion: 3, currentVersion: 5 })).toBe(
      'Paused — the 1 member shown is from version 3 evaluated at 2026-12-03 09:00 UTC; resume to evaluate version 5.',
    );
  });

  it('says when it was never evaluated', () => {
    expect(pausedNote({ ...base, evaluatedAt: null, members: 0, evaluatedVersion: null, currentVersion: 2 })).toBe(
      'Paused since 2026-12-03 09:15 UTC and never evaluated, so it has no members; resume to evaluate version 2.',
    );
  });
});
