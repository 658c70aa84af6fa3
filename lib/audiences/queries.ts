import { getPool, type Queryable } from '../db/pool';

export interface AudienceListItem {
  id: number;
  name: string;
  description: string;
  versionCount: number;
  latestNumber: number | null;
  latestRows: number | null;
  latestAt: Date | null;
  updatedAt: Date;
}

export async function listAudiences(client: Queryable = getPool()): Promise<AudienceListItem[]> {
  const r = await client.query<AudienceListItem>(
    `SELECT a.id, a.name, a.description, a.updated_at AS "updatedAt",
            (SELECT count(*)::int FROM audience_versions v WHERE v.audience_id = a.id) AS "versionCount",
            latest.number AS "latestNumber", latest.row_count AS "latestRows", latest.created_at AS "latestAt"
       FROM audiences a
       LEFT JOIN LATERAL (
         SELECT number, row_count, created_at FROM audience_versions v WHERE v.audience_id = a.id ORDER BY number DESC LIMIT 1
       ) latest ON true
      ORDER BY a.updated_at DESC, a.id DESC`,
  );
  return r.rows;
}

export interface AudienceDetail {
  id: number;
  name: string;
  description: string;
  rules: unknown;
  columns: unknown;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function getAudience(id: number, client: Queryable = getPool()): Promise<AudienceDetail | null> {
  const r = await client.query<AudienceDetail>(
    `SELECT a.id, a.name, a.description, a.rules, a.columns, u.name AS "createdBy", a.created_at AS "createdAt", a.updated_at AS "updatedAt"
       FROM audiences a LEFT JOIN users u ON u.id = a.created_by_id WHERE a.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

export interface UploadSummary {
  fileName: string;
  sha256: string;
  matchedBy: 'externalId' | 'email';
  dataRows: number;
  matched: number;
  duplicate: number;
  unknown: number;
  empty: number;
}

export interface VersionListItem {
  id: number;
  number: number;
  rowCount: number;
  createdAt: Date;
  author: string | null;
  source: 'RULES' | 'UPLOAD';
  /** The rules frozen with the version; null for an uploaded list. */
  rules: unknown;
  columns: unknown;
  upload: UploadSummary | null;
}

/** Newest first. */
export async function listVersions(audienceId: number, client: Queryable = getPool()): Promise<VersionListItem[]> {
  const r = await client.query<VersionListItem>(
    `SELECT v.id, v.number, v.row_count AS "rowCount", v.created_at AS "createdAt", u.name AS author,
            v.source, v.rules, v.columns, v.upload
       FROM audience_versions v LEFT JOIN users u ON u.id = v.created_by_id
      WHERE v.audience_id = $1 ORDER BY v.number DESC`,
    [audienceId],
  );
  return r.rows;
}
