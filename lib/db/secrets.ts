import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Secrets a newcomer should not have to invent: when NEXTAUTH_SECRET or CRON_SECRET is unset,
 * one is generated once and kept in .data/secrets.json (git-ignored, mode 600).
 */
export function loadOrCreateLocalSecrets(dir = '.data'): { nextAuthSecret: string; cronSecret: string; created: boolean } {
  const file = path.resolve(dir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, string>>) : {};
  const secrets = {
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString('base64url'),
    cronSecret: stored.cronSecret ?? randomBytes(24).toString('base64url'),
  };
  const created = !stored.nextAuthSecret || !stored.cronSecret;
  if (created) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return { ...secrets, created };
}
