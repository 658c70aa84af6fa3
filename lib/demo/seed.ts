import { db } from '../db/prisma';

/**
 * The demo's segments and audiences, written in the rule JSON the builder produces
 * (react-querybuilder: {combinator, rules: [{field, operator, value}]}). They are chosen to make
 * sense on the Online Retail data: a shop with many wholesale buyers, a year of invoices that
 * ends yesterday after the import's time shift, and cancellations as their own events.
 */
type RuleValue = string | number | string[] | { count: number; days: number | null } | { amount: number; unit: string };

export interface DemoDefinition {
  name: string;
  description: string;
  rules: { combinator: 'and' | 'or'; rules: { field: string; operator: string; value?: RuleValue }[] };
}

export interface DemoAudience extends DemoDefinition {
  columns: string[];
}

const and = (...rules: DemoDefinition['rules']['rules']): DemoDefinition['rules'] => ({ combinator: 'and', rules });

export const DEMO_SEGMENTS: readonly DemoDefinition[] = [
  {
    name: 'One-time purchasers',
    description: 'Placed exactly one order: the ones a second-order offer is for.',
    rules: and({ field: 'orderCount', operator: '=', value: 1 }),
  },
  {
    name: 'Repeat customers',
    description: 'Placed two or more orders.',
    rules: and({ field: 'orderCount', operator: '>=', value: 2 }),
  },
  {
    name: 'Lapsed loyal customers',
    description: 'At least five orders, but none in the last 90 days.',
    rules: and(
      { field: 'orderCount', operator: '>=', value: 5 },
      { field: 'event:order', operator: 'atMost', value: { count: 0, days: 90 } },
    ),
  },
  {
    name: 'Bought in the last 30 days',
    description: 'At least one order in the last 30 days.',
    rules: and({ field: 'event:order', operator: 'atLeast', value: { count: 1, days: 30 } }),
  },
  {
    name: 'New customers',
    description: 'First order in the last 3 months.',
    rules: and({ field: 'firstOrderAt', operator: 'inLast', value: { amount: 3, unit: 'months' } }),
  },
  {
    name: 'High value',
    description: 'Spent £5,000 or more in total, net of cancellations.',
    rules: and({ field: 'totalSpent', operator: '>=', value: 5000 }),
  },
  {
    name: 'Outside the UK',
    description: 'Customers whose country is not the United Kingdom.',
    rules: and({ field: 'country', operator: '!=', value: 'United Kingdom' }),
  },
  {
    name: 'Recent cancellers',
    description: 'Cancelled at least one order in the last 90 days.',
    rules: and({ field: 'event:order_cancelled', operator: 'atLeast', value: { count: 1, days: 90 } }),
  },
];

export const DEMO_COLUMNS = ['externalId', 'email', 'country', 'orderCount', 'totalSpent', 'lastOrderAt'];

export const DEMO_AUDIENCES: readonly DemoAudience[] = [
  {
    name: 'Win-back campaign',
    description: 'Repeat customers with no order in the last 90 days, for a come-back offer.',
    rules: and(
      { field: 'orderCount', operator: '>=', value: 2 },
      { field: 'event:order', operator: 'atMost', value: { count: 0, days: 90 } },
    ),
    columns: DEMO_COLUMNS,
  },
  {
    name: 'VIP thank-you',
    description: 'Customers who spent £5,000 or more and ordered in the last 90 days.',
    rules: and(
      { field: 'totalSpent', operator: '>=', value: 5000 },
      { field: 'event:order', operator: 'atLeast', value: { count: 1, days: 90 } },
    ),
    columns: DEMO_COLUMNS,
  },
];

/** Creates the demo segments and audiences that do not exist yet (by name), owned by `ownerId`. */
export async function seedDemoDefinitions(ownerId: number | null): Promise<{ segments: string[]; audiences: string[] }> {
  const segments: string[] = [];
  const audiences: string[] = [];
  const existingSegments = new Set((await db().segment.findMany({ select: { name: true } })).map((s) => s.name));
  for (const s of DEMO_SEGMENTS) {
    if (existingSegments.has(s.name)) continue;
    await db().segment.create({ data: { name: s.name, description: s.description, rules: s.rules, createdById: ownerId } });
    segments.push(s.name);
  }
  const existingAudiences = new Set((await db().audience.findMany({ select: { name: true } })).map((a) => a.name));
  for (const a of DEMO_AUDIENCES) {
    if (existingAudiences.has(a.name)) continue;
    await db().audience.create({
      data: { name: a.name, description: a.description, rules: a.rules, columns: a.columns, createdById: ownerId },
    });
    audiences.push(a.name);
  }
  return { segments, audiences };
}
