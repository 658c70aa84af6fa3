import { describe, expect, it } from 'vitest';
import { freezeMessageStillHolds } from './freeze-message';

describe('freezeMessageStillHolds', () => {
  it('keeps the message through the refresh that adds the version just frozen', () => {
    expect(freezeMessageStillHolds([1], [2, 1], 2)).toBe(true);
    expect(freezeMessageStillHolds([], [1], 1)).toBe(true);
  });

  it('drops it when the frozen version is deleted', () => {
    expect(freezeMessageStillHolds([2, 1], [1], 2)).toBe(false);
  });

  it('drops it when another version is deleted or someone else froze one', () => {
    expect(freezeMessageStillHolds([2, 1], [2], 2)).toBe(false);
    expect(freezeMessageStillHolds([2, 1], [3, 2, 1], 2)).toBe(false);
  });

  it('drops a message that was not about a new version (an error)', () => {
    expect(freezeMessageStillHolds([1], [2, 1], undefined)).toBe(false);
  });
});
