import { audit } from '../audit';
import { ExpectedError } from '../auth/errors';
import { getPool, withTransaction, type Queryable } from '../db/pool';

/**
 * The workspace time zone: date-only rule values ("before 2026-03-01", "on 2026-06-01") are whole
 * days in this zone, in the live count, scheduled runs and snapshots alike. Default UTC.
 */
export const TIME_ZONE_KEY = 'workspace.timeZone';
export const DEFAULT_TIME_ZONE = 'UTC';

export async function getWorkspaceTimeZone(db: Queryable = getPool()): Promise<string> {
  const result = await db.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1`, [TIME_ZONE_KEY]);
  const value = result.rows[0]?.value;
  return typeof value === 'string' ? value : DEFAULT_TIME_ZONE;
}

/** IANA zone names that both this Node and the database know (their zone data can differ). */
export function isKnownToNode(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function setWorkspaceTimeZone(zone: string, actorId: number | null): Promise<void> {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone) || !isKnownToNode(zone)) throw new ExpectedError(`"${zone.slice(0, 64)}" is not a time zone name (e.g. Europe/London).`);
  await withTransaction(async (client) => {
    const known = await client.query(`SELECT 1 FROM pg_timezone_names WHERE name = $1`, [zone]);
    if (known.rowCount === 0) throw new ExpectedError(`The database does not know the time zone "${zone}".`);
    const before = await getWorkspaceTimeZone(client);
    await client.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, to_jsonb($2::text), now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [TIME_ZONE_KEY, zone],
    );
    await audit({ actorId, action: 'settings.time_zone', entityType: 'settings', entityId: TIME_ZONE_KEY, details: { before, after: zone } }, client);
  });
}

/** Zones offered in the settings page: the database's list, which Node also understands. */
export async function listTimeZones(): Promise<string[]> {
  const result = await getPool().query<{ name: string }>(
    `SELECT name FROM pg_timezone_names WHERE name ~ '^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/' OR name = 'UTC' ORDER BY name`,
  );
  return result.rows.map((r) => r.name).filter(isKnownToNode);
}
