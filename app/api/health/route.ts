import { NextResponse } from 'next/server';
import { declareRouteAccess } from '@/lib/auth/route';
import { databaseKind } from '@/lib/db/kind';
import { getPool } from '@/lib/db/pool';

export const dynamic = 'force-dynamic';

/** Liveness and database check for load balancers and monitors; public, reveals no data. */
export const GET = declareRouteAccess({ kind: 'public', reason: 'load balancers and monitors probe it; it reveals only the database kind' }, async () => {
  const database = databaseKind();
  try {
    await getPool().query('SELECT 1');
    return NextResponse.json({ status: 'ok', database: { kind: database, reachable: true } });
  } catch {
    return NextResponse.json({ status: 'error', database: { kind: database, reachable: false } }, { status: 503 });
  }
});
