import { describe, expect, it } from 'vitest';
import { pinOutcomeMessage } from './pin-outcome';

describe('pinOutcomeMessage', () => {
  it('says when the membership follows the change', () => {
    expect(pinOutcomeMessage('pin', 'evaluated')).toMatch(/follows the pin now/);
    expect(pinOutcomeMessage('unpin', 'evaluated')).toMatch(/rules decide/);
    expect(pinOutcomeMessage('pin', 'pending')).toMatch(/^Pinned\. .*next run/);
    expect(pinOutcomeMessage('unpin', 'pending')).toMatch(/^Pin lifted\. .*next run/);
    expect(pinOutcomeMessage('pin', 'paused')).toMatch(/when it is resumed/);
    expect(pinOutcomeMessage('pin', 'not-needed')).toMatch(/already in place/);
  });
});
