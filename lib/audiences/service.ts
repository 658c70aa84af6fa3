import type { Prisma } from '../db/generated/client';
import { audit } from '../audit';
import { NotFoundError } from '../auth/errors';
import { db } from '../db/prisma';
import { getPool, type Queryable } from '../db/pool';
import { getWorkspaceTimeZone } from '../settings/time-zone';
import { compileRules } from '../rules/compile';
import { audienceInputSchema, validateDefinition, type AudienceInput } from './definition';
import { cellsSql } from './columns';
import { loadFieldCatalog } from '../traits/registry';

export const PREVIEW_ROWS = 20;

async function normalise(input: AudienceInput) {
  const data = audienceInputSchema.parse(input);
  const { columns } = validateDefinition(data.rules, data.columns, await loadFieldCatalog());
  return {
    name: data.name,
    description: data.description,
    rules: data.rules as Prisma.InputJsonValue,
    columns: columns.map((c) => c.key),
  };
}

export async function createAudience(input: AudienceInput, actorId: number): Promise<{ id: number }> {
  const data = await normalise(input);
  const created = await db().audience.create({ data: { ...data, createdById: actorId }, select: { id: true } });
  await audit({ actorId, action: 'audience.create', entityType: 'audience', entityId: created.id, details: data });
  return created;
}

export async function updateAudience(id: number, input: AudienceInput, actorId: number): Promise<{ id: number }> {
  const data = await normalise(input);
  const before = await db().audience.findUnique({ where: { id }, select: { name: true, description: true, rules: true, columns: true } });
  if (!before) throw new NotFoundError('The audience');
  await db().audience.update({ where: { id }, data, select: { id: true } });
  await audit({ actorId, action: 'audience.update', entityType: 'audience', entityId: id, details: { before, after: data } });
  return { id };
}

export interface AudiencePreview {
  count: number;
  columns: { key: string; header: string; label: string }[];
  rows: (string | null)[][];
}

/** What a freeze would produce right now: the match count and the first rows, rendered as the snapshot would store them. */
export async function previewAudience(rules: unknown, columnKeys: unknown, now = new Date(), client: Queryable = getPool()): Promise<AudiencePreview> {
  const { tree, columns } = validateDefinition(rules, columnKeys, await loadFieldCatalog(client));
  const { where, params } = compileRules(tree, now, { timeZone: await getWorkspaceTimeZone(client) });
  const count = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM profiles p WHERE ${where}`, params);
  const sample = await client.query<{ cells: (string | null)[] }>(
    `SELECT ${cellsSql(columns)} AS cells FROM profiles p WHERE ${where} ORDER BY p.id LIMIT ${PREVIEW_ROWS}`,
    params,
  );
  return {
    count: count.rows[0]?.count ?? 0,
    columns: columns.map(({ key, header, label }) => ({ key, header, label })),
    rows: sample.rows.map((r) => r.cells),
  };
}
