import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { useTestDatabase } from '@/lib/test/database';
import { GET, POST } from './route';

useTestDatabase();

const SECRET = 'test-cron-secret-value';
const call = (handler: typeof GET, authorization?: string) =>
  handler(new Request('http://localhost/api/cron/segments', { method: 'GET', headers: authorization ? { authorization } : {} }));

describe('/api/cron/segments', () => {
  beforeAll(async () => {
    process.env.CRON_SECRET = SECRET;
    const pool = getPool();
    await pool.query(`INSERT INTO profiles (external_id, order_count) VALUES ('one', 1), ('two', 2), ('three', 3)`);
    await pool.query(`INSERT INTO segments (name, rules, updated_at) VALUES ('Repeat', $1, now())`, [
      JSON.stringify({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] }),
    ]);
  });

  it.each([undefined, 'Bearer wrong', `Basic ${SECRET}`, SECRET, `Bearer ${SECRET}x`, `Bearer ${SECRET.toUpperCase()}`, `Bearer  ${SECRET}`])('answers 401 to authorization %j', async (auth) => {
    const response = await call(GET, auth);
    expect(response.status).toBe(401);
    const runs = await getPool().query(`SELECT count(*)::int AS n FROM segment_runs`);
    expect(runs.rows[0].n).toBe(0);
  });

  it('refuses everything when no secret is configured', async () => {
    const saved = process.env.CRON_SECRET;
    process.env.CRON_SECRET = '';
    try {
      expect((await call(GET, 'Bearer ')).status).toBe(401);
    } finally {
      process.env.CRON_SECRET = saved;
    }
  });

  it('in production, a missing or short secret is a 503 that names the problem, and nothing runs', async () => {
    const saved = { secret: process.env.CRON_SECRET, env: process.env.NODE_ENV };
    const env = process.env as Record<string, string | undefined>;
    try {
      env.NODE_ENV = 'production';
      for (const secret of ['', 'too-short']) {
        process.env.CRON_SECRET = secret;
        const response = await call(GET, `Bearer ${secret}`);
        expect(response.status).toBe(503);
        expect((await response.json()).error).toMatch(/^The scheduled route is not configured: CRON_SECRET is (not set|too short)/);
      }
      const runs = await getPool().query(`SELECT count(*)::int AS n FROM segment_runs`);
      expect(runs.rows[0].n).toBe(0);
    } finally {
      process.env.CRON_SECRET = saved.secret;
      env.NODE_ENV = saved.env;
    }
  });

  it('runs every active segment and reports per segment; an idle re-run reports no movement', async () => {
    const first = await call(POST, `bearer ${SECRET}`); // the scheme name is case-insensitive
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ status: 'completed', runId: expect.any(Number) });
    expect(body.segments).toEqual([{ id: expect.any(Number), name: 'Repeat', members: 2, entered: 2, left: 0, ms: expect.any(Number) }]);

    const again = await (await call(GET, `Bearer ${SECRET}`)).json();
    expect(again.runId).toBe(body.runId + 1);
    expect(again.segments[0]).toMatchObject({ members: 2, entered: 0, left: 0 });
  });

  it('two calls at once: 409 with the running run id, or a second run that finds nothing to do', async () => {
    const before = await getPool().query(`SELECT count(*)::int AS n FROM segment_membership_changes`);
    const responses = await Promise.all([call(GET, `Bearer ${SECRET}`), call(POST, `Bearer ${SECRET}`)]);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status).every((s) => s === 200 || s === 409)).toBe(true);
    for (const [i, r] of responses.entries()) {
      if (r.status === 409) expect(bodies[i]).toMatchObject({ status: 'already_running', runId: expect.any(Number) });
      else expect(bodies[i].segments[0]).toMatchObject({ members: 2, entered: 0, left: 0 });
    }
    const after = await getPool().query(`SELECT count(*)::int AS n FROM segment_membership_changes`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
