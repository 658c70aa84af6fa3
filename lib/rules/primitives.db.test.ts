import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { TIME_UNITS } from './fields';
import { daysToAnniversary, jsonBoolean, jsonNumber, jsonText, readTrait, shift, textInstant, wallToInstant, zonedDate } from './reference';

/**
 * The reference evaluator's building blocks against the database's own: wall-clock conversion
 * across DST gaps and overlaps, calendar-month arithmetic, anniversaries and the typed JSON reads.
 * The rule-level differential test rarely lands a profile exactly on such an edge; these go there.
 */
useTestDatabase();

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Pacific/Auckland', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Kolkata'];
const HOUR = 3_600_000;

/** Wall times every 15 minutes across each 2026 DST change of the zones above (and some plain days). */
function wallTimesAroundTransitions(): number[] {
  const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-04-04', '2026-09-06', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01', '2026-03-15', '2026-06-01'];
  return days.flatMap((d) => Array.from({ length: 24 * 4 + 8 }, (_, i) => Date.parse(`${d}T00:00:00Z`) - 2 * HOUR + i * 15 * 60_000));
}

describe('reference primitives agree with PostgreSQL', () => {
  it('wall-clock time to instant (AT TIME ZONE), through gaps and overlaps', async () => {
    const walls = wallTimesAroundTransitions();
    for (const zone of ZONES) {
      const { rows } = await getPool().query<{ t: Date }>(
        `SELECT (w::timestamp AT TIME ZONE $2) AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i) ORDER BY i`,
        [walls.map((w) => new Date(w).toISOString().slice(0, 19).replace('T', ' ')), zone],
      );
      const mismatches = walls.filter((w, i) => wallToInstant(w, zone) !== rows[i]!.t.getTime());
      expect(mismatches.map((w) => new Date(w).toISOString()), zone).toEqual([]);
    }
  });

  it('moving now by minutes … months in the workspace zone', async () => {
    const nowArb = fc.oneof(
      fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
      fc.constantFrom(...wallTimesAroundTransitions()), // instants near changes (as UTC)
    );
    const cases = fc.sample(fc.tuple(nowArb, fc.integer({ min: -25, max: 25 }), fc.constantFrom(...TIME_UNITS), fc.constantFrom(...ZONES)), { numRuns: 3000, seed: 7 });
    const { rows } = await getPool().query<{ t: Date }>(
      `SELECT CASE u.unit
                WHEN 'minutes' THEN u.now + make_interval(mins => u.n)
                WHEN 'hours' THEN u.now + make_interval(hours => u.n)
                WHEN 'days' THEN u.now + make_interval(hours => 24 * u.n)
                WHEN 'weeks' THEN u.now + make_interval(hours => 168 * u.n)
                ELSE ((u.now AT TIME ZONE u.zone) + make_interval(months => u.n)) AT TIME ZONE u.zone END AS t
         FROM unnest($1::timestamptz[], $2::int[], $3::text[], $4::text[]) WITH ORDINALITY AS u(now, n, unit, zone, i) ORDER BY i`,
      [cases.map((c) => new Date(c[0]).toISOString()), cases.map((c) => c[1]), cases.map((c) => c[2]), cases.map((c) => c[3])],
    );
    const mismatches = cases.filter(([now, n, unit, zone], i) => shift(now, n, unit, zone) !== rows[i]!.t.getTime());
    expect(mismatches.slice(0, 5).map(([now, n, unit, zone]) => `${new Date(now).toISOString()} ${n} ${unit} ${zone}`)).toEqual([]);
  });

  it('days to the next anniversary, leap days included', async () => {
    const dayArb = fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    const special = ['2000-02-29', '2024-02-29', '1996-02-29', '2025-02-28', '2025-03-01', '2028-02-28', '2028-02-29', '2026-12-31', '2027-01-01'];
    const cases = [
      ...fc.sample(fc.tuple(dayArb, dayArb), { numRuns: 2000, seed: 11 }),
      ...special.flatMap((a) => special.map((b) => [a, b] as [string, string])),
    ];
    const { rows } = await getPool().query<{ n: number }>(
      `SELECT tagwise_days_to_anniversary(d, t) AS n FROM unnest($1::date[], $2::date[]) WITH ORDINALITY AS u(d, t, i) ORDER BY i`,
      [cases.map((c) => c[0]), cases.map((c) => c[1])],
    );
    const parts = (d: string) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });
    const mismatches = cases.filter(([d, t], i) => daysToAnniversary(parts(d), parts(t)) !== rows[i]!.n);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('typed reads of JSON values never raise and agree', async () => {
    const strings = fc.oneof(
      fc.constantFrom('2024-02-29', '2023-02-29', '2026-04-31', '0000-01-01', '9999-12-31', '2026-06-01T10:00Z', '2026-06-01T10:00:00.5+15:59', '2026-06-01T10:00:00.123-16:00', '2026-06-01T24:00Z', '2026-06-01 10:00Z'),
      fc.constantFrom('true', 'TRUE', 'Yes', 'no', 'No ', 'İ', '1', '0', '-0', '1.', '.5', '007', '-12.50', '1e3', '١٢', ''),
      fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '.', 'T', ':', 'Z', '+', ' ', 'e', '2') , maxLength: 25 }),
      fc.string(),
    );
    const values = fc.oneof(strings, fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).filter((n) => !Object.is(n, -0)), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom([], [1], {}, { a: 'b' }));
    const sample = fc.sample(values, { numRuns: 3000, seed: 5 }).filter((v) => typeof v !== 'number' || !/e/.test(String(v)));
    // (JavaScript writes 1e-7 and 1e21 with exponents, PostgreSQL in plain digits; the reference only knows the former.)
    for (const zone of ['UTC', 'Pacific/Auckland']) {
      const { rows } = await getPool().query<{ empty: boolean; txt: string | null; num: string | null; bool: boolean | null; at: Date | null }>(
        `SELECT tagwise_json_is_empty(v) AS empty, tagwise_json_text(v) AS txt, tagwise_json_number(v)::text AS num,
                tagwise_json_boolean(v) AS bool, tagwise_json_instant(v, $2) AS at
           FROM unnest($1::jsonb[]) WITH ORDINALITY AS u(v, i) ORDER BY i`,
        [sample.map((v) => JSON.stringify(v)), zone],
      );
      sample.forEach((v, i) => {
        const row = rows[i]!;
        const label = `${JSON.stringify(v)} in ${zone}`;
        expect(row.empty, label).toBe(readTrait(v, 'text', zone).empty);
        expect(row.txt, label).toBe(jsonText(v));
        const n = jsonNumber(v);
        expect(row.num === null ? null : Number(row.num), label).toBe(n === null ? null : n + 0); // -0 is 0
        expect(row.bool, label).toBe(jsonBoolean(v));
        expect(row.at?.getTime() ?? null, label).toBe(typeof v === 'string' ? textInstant(v, zone) : null);
      });
    }
  });

  it('a calendar date in the zone', () => {
    // 2026-06-01T11:30Z is already 2 June in Auckland (UTC+12), still 1 June in New York.
    const t = Date.parse('2026-06-01T12:30:00Z');
    expect(zonedDate(t, 'Pacific/Auckland')).toEqual({ year: 2026, month: 6, day: 2 });
    expect(zonedDate(t, 'America/New_York')).toEqual({ year: 2026, month: 6, day: 1 });
  });
});
