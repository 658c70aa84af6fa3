export type DatabaseKind = 'postgresql' | 'pglite';

/** The kind of database behind DATABASE_URL, as the process that started the embedded one marks it. */
export function databaseKind(): DatabaseKind {
  return process.env.TAGWISE_DB_KIND === 'pglite' ? 'pglite' : 'postgresql';
}
