import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { compileRules } from './compile';
import { CASE_SENSITIVE_CAPABLE, COMPARATORS, OPERATORS, createCatalog, type FieldDef, type OperatorDef } from './fields';
import { PROPERTY_OPERATORS, parseRules } from './parse';
import { matches, type ReferenceProfile } from './reference';

/**
 * Differential tests: random rule trees over random profiles, evaluated by the SQL compiler on a real
 * database and by the reference evaluator (lib/rules/reference.ts, written from docs/rules.md).
 * Any disagreement is a bug in one of them; fast-check shrinks it to a small case, which then
 * belongs in the named regressions at the end of this file.
 */
useTestDatabase();

const NOW = new Date('2026-06-01T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 1500);

const TEXTS = ['United Kingdom', 'united kingdom', 'France', 'EIRE', "O'Brien; DROP TABLE profiles; --", '100%_x', 'a\\b', 'ÄÖÜ', 'äöü', 'İstanbul', 'ΣΑΣ', 'straße', 'Zoë 👩‍💻', ' spaced ', 'x', '', '"quoted"'];
const TEXT_VALUES = [...TEXTS.filter((t) => t !== ''), 'United', 'KING', 'dom', '%', '_', '%_', 'ä', 'i', 'σ', 'ß', '💻', "'", '\\', 'spaced', 'ö'];
const NUMBERS = [0, 1, 2, 3, 5, 10, -5, 12.34, 99.99, 100, 1000.5, 4999.99, 5000];
const SEGMENT_IDS = [1, 2, 3];
const DAY_COUNTS = [1, 2, 7, 29, 30, 31, 90, 180, 365, 400];
const UNIT_AMOUNTS = { minutes: [1, 30, 90, 1440], hours: [1, 12, 24, 48, 720], days: DAY_COUNTS, weeks: [1, 4, 52], months: [1, 2, 3, 6, 12, 13] };

// The clock: a plain noon, and instants whose wall clock, moved by whole months, lands in a DST
// gap or overlap in New York, London or Auckland (month windows are calendar months in the zone).
const NOWS = fc.constantFrom(NOW, new Date('2026-05-08T06:30:00.000Z'), new Date('2026-05-29T00:30:00.000Z'), new Date('2026-10-01T05:30:00.000Z'), new Date('2026-03-05T13:30:00.000Z'));

// Custom traits as registered, and what profiles may hold under those keys: values of the
// registered type, of other types, and the four kinds of empty.
const CATALOG = createCatalog([
  { key: 'tier', label: 'Tier', type: 'text' },
  { key: 'score', label: 'Score', type: 'number' },
  { key: 'birthday', label: 'Birthday', type: 'date' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
]);
const TRAIT_VALUES: unknown[] = [
  null, '', [], {}, 'gold', 'Gold', 'GOLD', 'x', '💻', 42, -3, 1.5, 0, '42', '-3.25', ' 42', '4e2', '1.', true, false, 'true', 'YES', 'no', 'False', 'maybe',
  '2000-02-29', '2023-02-29', '1985-06-03', '2026-06-01', '2026-06-02T09:30:00Z', '2026-05-31T23:59:59.999+02:00', '2026-06-01T00:00-05:00',
  '2026-06-01T12:00:00.000Z', '0000-01-01', '2024-13-01', '2026-06-01T24:00Z', [1, 2], ['a'], { a: 1 },
];
const birthdayArb = fc
  .tuple(fc.integer({ min: 1950, max: 2030 }), fc.integer({ min: -20, max: 380 }))
  .map(([year, days]) => `${year}${new Date(NOW.getTime() + days * DAY).toISOString().slice(4, 10)}`);
const traitValueArb = fc.oneof(fc.constantFrom(...TRAIT_VALUES), birthdayArb);
const traitsArb = fc.record(
  { tier: traitValueArb, score: traitValueArb, birthday: fc.oneof(birthdayArb, traitValueArb), vip: traitValueArb },
  { requiredKeys: [] },
);

// Zones with DST in either hemisphere, half-hour and 45-minute offsets, and a 30-minute DST shift.
const ZONES = fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe');
const textArb = fc.constantFrom<string | null>(...TEXTS, null);
const offsetArb = fc.oneof(
  fc.integer({ min: -400, max: 30 }).map((d) => d * DAY), // exactly on day boundaries relative to now
  fc.integer({ min: -400 * DAY, max: 30 * DAY }), // anywhere, to the millisecond
  fc.constantFrom(0, -1, 1, -30 * DAY + 1, -30 * DAY - 1, -12 * HOUR), // edges
  // Whole calendar months before now (31 March minus a month is the end of February).
  fc.constantFrom(1, 2, 3, 6, 12, 13).chain((m) => fc.constantFrom(0, -1, 1).map((d) => Date.UTC(2026, 5 - m, 1, 12) - NOW.getTime() + d)),
);
const dateArb = fc.option(offsetArb.map((ms) => new Date(NOW.getTime() + ms)), { nil: null });

interface GeneratedProfile {
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  city: string | null;
  emailConsent: boolean | null;
  createdAt: Date;
  orderCount: number;
  totalSpentCents: number;
  cancellationCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  lastActivityAt: Date | null;
  traits: Record<string, unknown>;
  events: { type: string; occurredAt: Date; revenueCents: number | null; properties: Record<string, unknown> }[];
  segments: number[];
}

const eventArb = fc.record({
  type: fc.constantFrom('order', 'order_cancelled', 'page_view'),
  occurredAt: offsetArb.map((ms) => new Date(NOW.getTime() + ms)),
  revenueCents: fc.option(fc.oneof(fc.integer({ min: -5_000, max: 50_000 }), fc.constantFrom(0, 1000, 2550, 10_000)), { nil: null }),
  properties: fc.record(
    { channel: fc.constantFrom<unknown>('web', 'Web', 'store', 'app', '', 42, true, null, ['web']), items: fc.constantFrom<unknown>(1, 2, 3, '2', 'x', 1.5, null, [], '2.50') },
    { requiredKeys: [] },
  ),
});

const profileArb = (i: number): fc.Arbitrary<GeneratedProfile> =>
  fc.record({
    externalId: fc.constant(`p${i}`),
    email: textArb.map((t) => (t === null ? null : `${t}${i}`)), // emails are unique
    firstName: textArb,
    lastName: textArb,
    country: textArb,
    city: textArb,
    emailConsent: fc.constantFrom(true, false, null),
    createdAt: offsetArb.map((ms) => new Date(NOW.getTime() + ms)),
    orderCount: fc.integer({ min: 0, max: 12 }),
    totalSpentCents: fc.oneof(fc.integer({ min: -50_000, max: 1_000_000 }), fc.constantFrom(0, 500_000, 499_999, 1234, -500)),
    cancellationCount: fc.integer({ min: 0, max: 3 }),
    firstOrderAt: dateArb,
    lastOrderAt: dateArb,
    lastActivityAt: dateArb,
    traits: traitsArb,
    events: fc.array(eventArb, { maxLength: 6 }),
    segments: fc.subarray(SEGMENT_IDS),
  });

/** numeric round(total / count, 2): half away from zero, in exact integer arithmetic. */
function averageCents(totalCents: number, count: number): number {
  const sign = totalCents < 0 ? -1 : 1;
  return sign * Math.floor((2 * Math.abs(totalCents) + count) / (2 * count));
}

function toReference(p: GeneratedProfile): ReferenceProfile {
  return {
    values: {
      externalId: p.externalId,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      country: p.country,
      city: p.city,
      emailConsent: p.emailConsent,
      createdAt: p.createdAt,
      orderCount: p.orderCount,
      totalSpent: p.totalSpentCents / 100,
      averageOrderValue: p.orderCount > 0 ? averageCents(p.totalSpentCents, p.orderCount) / 100 : null,
      cancellationCount: p.cancellationCount,
      firstOrderAt: p.firstOrderAt,
      lastOrderAt: p.lastOrderAt,
      lastActivityAt: p.lastActivityAt,
    },
    traits: p.traits,
    events: p.events,
    segments: p.segments,
  };
}

const dayText = (ms: number) => new Date(NOW.getTime() + ms).toISOString().slice(0, 10);
const dateValueArb = fc.oneof(
  offsetArb.map(dayText),
  offsetArb.map((ms) => new Date(NOW.getTime() + ms).toISOString()),
);

const filterArb = fc.oneof(
  fc.record({ on: fc.constant('revenue'), operator: fc.constantFrom(...COMPARATORS), value: fc.constantFrom(0, 10, 25.5, 100, 199.99, -1) }),
  fc.constantFrom('channel', 'items', 'missing').chain((key) =>
    fc.constantFrom(...PROPERTY_OPERATORS).chain((operator) =>
      (operator === '=' || operator === '!=' || operator === 'contains' ? fc.constantFrom<unknown>('web', 'WEB', 'store', '2', '1.5', 'tru', 'e') : fc.constantFrom<unknown>(0, 1, 1.5, 2, 2.5, 3)).map((value) => ({
        on: 'property',
        key,
        operator,
        value,
      })),
    ),
  ),
);
const windowArb = fc.option(fc.constantFrom(...DAY_COUNTS), { nil: null });
const filtersArb = fc.oneof(fc.constant(undefined), fc.array(filterArb, { maxLength: 2 }));

function valueArb(field: FieldDef, operator: OperatorDef): fc.Arbitrary<unknown> {
  switch (operator.arity) {
    case 'none':
      return fc.constant(null);
    case 'segment':
      return fc.constantFrom(...SEGMENT_IDS);
    case 'relative':
      return fc.oneof(
        fc.constantFrom(...DAY_COUNTS), // a plain number is days
        fc.constantFrom(...(Object.keys(UNIT_AMOUNTS) as (keyof typeof UNIT_AMOUNTS)[])).chain((unit) => fc.constantFrom(...UNIT_AMOUNTS[unit]).map((amount) => ({ amount, unit }))),
      );
    case 'anniversary':
      return fc.constantFrom(0, 1, 6, 7, 30, 180, 364, 365, 366);
    case 'event':
      return fc.record({ count: fc.integer({ min: 0, max: 4 }), days: windowArb, where: filtersArb }, { requiredKeys: ['count', 'days'] });
    case 'aggregate':
      return fc.record(
        { comparator: fc.constantFrom(...COMPARATORS), amount: fc.constantFrom(0, 10, 25.5, 100, 250, 1000), days: windowArb, where: filtersArb },
        { requiredKeys: ['comparator', 'amount', 'days'] },
      );
    case 'list':
      return fc.uniqueArray(fc.constantFrom(...TEXT_VALUES), { minLength: 1, maxLength: 3 });
    case 'pair':
      return field.type === 'number'
        ? fc.tuple(fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMBERS)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)])
        : fc.tuple(dateValueArb, dateValueArb).map(([a, b]) => (Date.parse(a) <= Date.parse(b) ? [a, b] : [b, a]));
    case 'one':
      if (field.type === 'number') return fc.constantFrom(...NUMBERS);
      if (field.type === 'date') return dateValueArb;
      return fc.constantFrom(...TEXT_VALUES);
  }
}

const conditionArb = fc.constantFrom(...CATALOG.fields).chain((field) =>
  fc.constantFrom(...OPERATORS[field.type]).chain((operator) =>
    fc.tuple(valueArb(field, operator), field.type === 'text' && CASE_SENSITIVE_CAPABLE.has(operator.name) ? fc.boolean() : fc.constant(false)).map(([value, caseSensitive]) => ({
      field: field.name,
      operator: operator.name,
      value,
      ...(caseSensitive ? { caseSensitive } : {}),
    })),
  ),
);

const { tree: ruleTreeArb } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.record({ combinator: fc.constantFrom('and', 'or'), not: fc.boolean(), rules: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, conditionArb, conditionArb, tie('tree')),
}));

async function insertProfiles(profiles: GeneratedProfile[]): Promise<void> {
  const pool = getPool();
  await pool.query('TRUNCATE profiles, segments RESTART IDENTITY CASCADE');
  for (const id of SEGMENT_IDS) {
    await pool.query(`INSERT INTO segments (id, name, rules, updated_at) VALUES ($1, $2, '{}', now())`, [id, `S${id}`]);
  }
  for (const p of profiles) {
    const r = await pool.query<{ id: number }>(
      `INSERT INTO profiles (external_id, email, first_name, last_name, country, city, email_consent, created_at, order_count, total_spent,
                             cancellation_count, first_order_at, last_order_at, last_activity_at, traits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric / 100, $11, $12, $13, $14, $15::jsonb) RETURNING id`,
      [p.externalId, p.email, p.firstName, p.lastName, p.country, p.city, p.emailConsent, p.createdAt, p.orderCount, p.totalSpentCents, p.cancellationCount, p.firstOrderAt, p.lastOrderAt, p.lastActivityAt, JSON.stringify(p.traits)],
    );
    for (const segmentId of p.segments) {
      await pool.query(`INSERT INTO segment_memberships (segment_id, profile_id, entered_at) VALUES ($1, $2, now())`, [segmentId, r.rows[0]!.id]);
    }
    for (const e of p.events) {
      await pool.query(`INSERT INTO events (profile_id, type, occurred_at, revenue, properties) VALUES ($1, $2, $3, $4::numeric / 100, $5::jsonb)`, [
        r.rows[0]!.id,
        e.type,
        e.occurredAt,
        e.revenueCents,
        JSON.stringify(e.properties),
      ]);
    }
  }
}

async function sqlMembers(rules: unknown, timeZone: string, now = NOW): Promise<string[]> {
  const parsed = parseRules(rules, CATALOG);
  if (!parsed.ok) throw new Error(`generator produced invalid rules: ${JSON.stringify(parsed.problems)}`);
  const { where, params } = compileRules(parsed.tree, now, { timeZone });
  const result = await getPool().query<{ external_id: string }>(`SELECT p.external_id FROM profiles p WHERE ${where} ORDER BY 1`, params);
  return result.rows.map((r) => r.external_id);
}

function referenceMembers(rules: unknown, profiles: GeneratedProfile[], timeZone: string, now = NOW): string[] {
  const parsed = parseRules(rules, CATALOG);
  if (!parsed.ok) throw new Error('invalid rules');
  return profiles
    .filter((p) => matches(parsed.tree, toReference(p), now, timeZone))
    .map((p) => p.externalId)
    .sort();
}

describe('SQL compiler agrees with the reference evaluator', () => {
  const profiles = fc.sample(fc.tuple(...Array.from({ length: 150 }, (_, i) => profileArb(i))), { seed: 20261203, numRuns: 1 })[0]!;

  beforeAll(async () => {
    await insertProfiles(profiles);
  });

  it(`on ${RUNS} random rule trees over 150 random profiles, in several workspace time zones`, async () => {
    await fc.assert(
      fc.asyncProperty(ruleTreeArb, ZONES, NOWS, async (rules, timeZone, now) => {
        expect(await sqlMembers(rules, timeZone, now)).toEqual(referenceMembers(rules, profiles, timeZone, now));
      }),
      { numRuns: RUNS, seed: Number(process.env.DIFFERENTIAL_SEED ?? Date.now() % 1_000_000) },
    );
  }, 240_000);
});

describe('named regressions', () => {
  // Each case here was once a disagreement or a bug; keep them even when the property passes.

  it('windows are N × 24 hours even when the database session is in a zone with DST', async () => {
    // 2026-03-08 is the US switch to summer time. With day arithmetic in a New York session,
    // "30 days before" would be 719 hours, and this order, 719.5 hours old, would fall outside.
    const now = new Date('2026-03-20T12:00:00.000Z');
    const orderedAt = new Date(now.getTime() - 30 * DAY + 30 * 60_000);
    await insertProfiles([]);
    await getPool().query(`INSERT INTO profiles (external_id, last_order_at) VALUES ('dst', $1)`, [orderedAt]);
    const parsed = parseRules({ combinator: 'and', rules: [{ field: 'lastOrderAt', operator: 'inLastDays', value: 30 }] });
    if (!parsed.ok) throw new Error('invalid');
    const { where, params } = compileRules(parsed.tree, now);
    const client = await getPool().connect();
    try {
      await client.query(`SET TIME ZONE 'America/New_York'`);
      const result = await client.query(`SELECT count(*)::int AS n FROM profiles p WHERE ${where}`, params);
      expect(result.rows[0].n).toBe(1);
    } finally {
      await client.query('RESET TIME ZONE');
      client.release();
    }
  });

  it('a day that starts in a DST gap begins where PostgreSQL says (the offset from before the change)', async () => {
    // Chile skips 00:00–01:00 on 2026-09-06: the day begins at 04:00Z (01:00 -03), which is what
    // `'2026-09-06'::timestamp AT TIME ZONE 'America/Santiago'` gives. The first reference evaluator
    // took 03:00Z, and put a profile created at 03:30Z on the wrong day.
    await insertProfiles([]);
    await getPool().query(`INSERT INTO profiles (external_id, created_at) VALUES ('gap', '2026-09-06T03:30:00Z')`);
    const rules = { combinator: 'and', rules: [{ field: 'createdAt', operator: 'on', value: '2026-09-06' }] };
    const profile = { values: { createdAt: new Date('2026-09-06T03:30:00Z') }, events: [] };
    const parsed = parseRules(rules);
    if (!parsed.ok) throw new Error('invalid');
    expect(await sqlMembers(rules, 'America/Santiago')).toEqual([]);
    expect(matches(parsed.tree, profile, NOW, 'America/Santiago')).toBe(false);
    expect(await sqlMembers({ ...rules, rules: [{ ...rules.rules[0], value: '2026-09-05' }] }, 'America/Santiago')).toEqual(['gap']);
  });
});
