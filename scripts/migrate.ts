// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database.
import { withCliDatabase } from '../lib/db/cli';
import { applyMigrations } from '../lib/db/migrate';

await withCliDatabase(async (url) => {
  const applied = await applyMigrations(url, { log: console.log });
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : 'Database is up to date.');
});
