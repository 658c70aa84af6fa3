import { describe, expect, it } from 'vitest';
import { parseInstant, reconcileTimestamp } from './timestamps';

const at = (s: string) => new Date(s);

describe('parseInstant', () => {
  it('reads ISO 8601 with Z, offsets (with and without colon), fractions and no zone (UTC)', () => {
    expect(parseInstant('2026-03-01T10:20:30.123Z')?.toISOString()).toBe('2026-03-01T10:20:30.123Z');
    expect(parseInstant('2026-03-01T12:20:30+02:00')?.toISOString()).toBe('2026-03-01T10:20:30.000Z');
    expect(parseInstant('2026-03-01T05:20:30-0500')?.toISOString()).toBe('2026-03-01T10:20:30.000Z');
    expect(parseInstant('2026-03-01T10:20:30.123456789Z')?.toISOString()).toBe('2026-03-01T10:20:30.123Z');
    expect(parseInstant('2026-03-01T10:20:30')?.toISOString()).toBe('2026-03-01T10:20:30.000Z');
    expect(parseInstant('2026-03-01')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseInstant('2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('refuses what is not an instant: other shapes, impossible days and times, bad zones', () => {
    for (const s of ['', 'yesterday', '1700000000', '2026-13-01T00:00:00Z', '2025-02-29T00:00:00Z', '2026-04-31', '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z', '2026-03-01T10:00:00+25:00', 'Sun, 01 Mar 2026 10:00:00 GMT']) {
      expect(parseInstant(s), s).toBeNull();
    }
  });
});

describe('reconcileTimestamp', () => {
  const receivedAt = at('2026-03-01T12:00:00.000Z');

  it('corrects the client clock: receivedAt − (sentAt − timestamp)', () => {
    // The client's clock is 1 h fast; the event happened 5 s before it was sent.
    const clock = { timestamp: at('2026-03-01T12:59:55Z'), sentAt: at('2026-03-01T13:00:00Z') };
    expect(reconcileTimestamp(clock, receivedAt).toISOString()).toBe('2026-03-01T11:59:55.000Z');
  });

  it('prefers timestamp (set by the application) to originalTimestamp (the client library’s clock)', () => {
    const clock = { originalTimestamp: at('2026-03-01T11:00:10Z'), timestamp: at('2026-02-01T11:00:00Z'), sentAt: at('2026-03-01T11:00:10Z') };
    expect(reconcileTimestamp(clock, receivedAt).toISOString()).toBe('2026-02-01T11:59:50.000Z');
    expect(reconcileTimestamp({ originalTimestamp: at('2026-03-01T11:00:00Z'), sentAt: at('2026-03-01T11:00:10Z') }, receivedAt).toISOString()).toBe('2026-03-01T11:59:50.000Z');
  });

  it('an event queued offline for two days counts two days back, not when it arrived', () => {
    const clock = { timestamp: at('2026-02-27T12:00:00Z'), sentAt: at('2026-03-01T12:00:00Z') };
    expect(reconcileTimestamp(clock, receivedAt).toISOString()).toBe('2026-02-27T12:00:00.000Z');
  });

  it('without sentAt takes the timestamp as it is; without any, receivedAt', () => {
    expect(reconcileTimestamp({ timestamp: at('2020-01-01T00:00:00Z') }, receivedAt).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(reconcileTimestamp({ sentAt: at('2026-03-01T13:00:00Z') }, receivedAt)).toBe(receivedAt);
    expect(reconcileTimestamp({}, receivedAt)).toBe(receivedAt);
  });
});
