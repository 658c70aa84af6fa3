import { describe, expect, it } from 'vitest';
import { timeDomain, timeTickFormatter, timeTicks } from './time-axis';

const at = (iso: string) => Date.parse(iso);

describe('timeDomain', () => {
  it('spans the data however unevenly it is spaced', () => {
    expect(timeDomain([at('2026-12-03T22:25:00Z'), at('2026-12-03T22:26:00Z'), at('2026-12-05T08:00:00Z')])).toEqual([
      at('2026-12-03T22:25:00Z'),
      at('2026-12-05T08:00:00Z'),
    ]);
  });

  it('pads a single point so it sits in the middle', () => {
    expect(timeDomain([at('2026-12-03T12:00:00Z')])).toEqual([at('2026-12-03T11:30:00Z'), at('2026-12-03T12:30:00Z')]);
  });
});

describe('timeTicks', () => {
  it('puts distinct round instants inside the domain', () => {
    const domain: [number, number] = [at('2026-12-03T22:25:10Z'), at('2026-12-03T23:40:00Z')];
    const ticks = timeTicks(domain);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['22:30', '22:45', '23:00', '23:15', '23:30']);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('steps by whole days over a week, at UTC midnight', () => {
    const ticks = timeTicks([at('2026-11-28T15:00:00Z'), at('2026-12-05T09:00:00Z')]);
    expect(ticks.map((t) => new Date(t).toISOString())).toEqual([
      '2026-11-29T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2026-12-03T00:00:00.000Z',
      '2026-12-05T00:00:00.000Z',
    ]);
  });

  it('starts weeks on Mondays and longer ranges on the first of a quarter', () => {
    const weeks = timeTicks([at('2026-10-01T00:00:00Z'), at('2026-11-20T00:00:00Z')]);
    expect(weeks.map((t) => new Date(t).getUTCDay())).toEqual(weeks.map(() => 1));
    const months = timeTicks([at('2026-01-15T00:00:00Z'), at('2026-12-03T00:00:00Z')]);
    expect(months.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-04-01', '2026-07-01', '2026-10-01']);
  });

  it('never gives more than target + 1 ticks, even for ten years', () => {
    for (const [from, to] of [
      ['2026-12-03T22:25:00Z', '2026-12-03T22:25:30Z'],
      ['2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'],
      ['2016-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ] as const) {
      const ticks = timeTicks([at(from), at(to)]);
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });
});

describe('timeTickFormatter', () => {
  it('shows the time alone within a day', () => {
    const f = timeTickFormatter([at('2026-12-03T08:00:00Z'), at('2026-12-03T22:25:00Z')]);
    expect(f(at('2026-12-03T22:25:00Z'))).toBe('22:25');
  });

  it('adds the date once the range crosses midnight, and drops the time past a few days', () => {
    expect(timeTickFormatter([at('2026-12-03T20:00:00Z'), at('2026-12-04T02:00:00Z')])(at('2026-12-04T00:00:00Z'))).toBe('4 Dec 00:00');
    expect(timeTickFormatter([at('2026-11-01T00:00:00Z'), at('2026-12-04T00:00:00Z')])(at('2026-11-15T00:00:00Z'))).toBe('15 Nov');
  });

  it('adds the year for ranges of about a year or more', () => {
    expect(timeTickFormatter([at('2025-06-01T00:00:00Z'), at('2026-12-04T00:00:00Z')])(at('2026-01-01T00:00:00Z'))).toBe('1 Jan 2026');
  });
});
