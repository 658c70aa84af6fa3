import { getPool } from '../db/pool';
import type { IdentityKind } from './identity';

/** Read models for the profile page: the identifiers a profile is known by, and what was merged into it. */

export interface ProfileIdentityItem {
  kind: IdentityKind;
  value: string;
  createdAt: Date;
}

export async function getProfileIdentities(profileId: number, limit = 50): Promise<ProfileIdentityItem[]> {
  const r = await getPool().query<ProfileIdentityItem>(
    `SELECT kind::text AS kind, value, created_at AS "createdAt" FROM profile_identities WHERE profile_id = $1 ORDER BY kind, created_at, value LIMIT $2`,
    [profileId, limit],
  );
  return r.rows;
}

export interface ProfileMergeItem {
  id: number;
  mergedProfileId: number;
  mergedExternalId: string;
  mergedEmail: string | null;
  reason: 'alias' | 'identify';
  messageId: string;
  /** What moved; `anonymous`: the merged profile was known only by an anonymous id (its external id a placeholder). */
  details: { events?: number; identities?: number; pins?: number; memberships?: number; anonymous?: boolean };
  at: Date;
}

export async function getProfileMerges(profileId: number, limit = 50): Promise<ProfileMergeItem[]> {
  const r = await getPool().query<ProfileMergeItem>(
    `SELECT id, merged_profile_id AS "mergedProfileId", merged_external_id AS "mergedExternalId", merged_email AS "mergedEmail",
            reason, message_id AS "messageId", details, at
       FROM profile_merges WHERE survivor_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
    [profileId, limit],
  );
  return r.rows;
}
