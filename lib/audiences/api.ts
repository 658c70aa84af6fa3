import { NotFoundError } from '../auth/errors';
import { getPool, type Queryable } from '../db/pool';
import type { CsvOptions, ExportableVersion } from './export';
import { parsePathId } from './ids';

/** "3.csv" -> 3; anything else (no extension, "3.json", "03.csv", "3.csv.csv") is a 404. */
export function versionNumberFromFile(file: string): number {
  const match = /^([^.]+)\.csv$/i.exec(file);
  const n = match ? parsePathId(match[1]!) : null;
  if (n === null) throw new NotFoundError('The version');
  return n;
}

/**
 * Audits a download by API key: no user, the key's id and prefix, the client's address (in the
 * audit log's ip column). Written directly because lib/audit.ts has no ip parameter yet.
 */
export async function auditApiDownload(
  key: { id: number; prefix: string },
  ip: string | null,
  version: Pick<ExportableVersion, 'audienceId' | 'versionId' | 'number' | 'rowCount'>,
  options: CsvOptions,
  client: Queryable = getPool(),
): Promise<void> {
  const details = { apiKeyId: key.id, apiKeyPrefix: key.prefix, versionId: version.versionId, number: version.number, rowCount: version.rowCount, ...options };
  await client.query(
    `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details, ip) VALUES (NULL, 'audience.download.api', 'audience', $1, $2::jsonb, $3)`,
    [String(version.audienceId), JSON.stringify(details), ip],
  );
}
