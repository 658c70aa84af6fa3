import { existsSync } from 'node:fs';
import path from 'node:path';
import { audit } from '../audit';
import { getPool } from '../db/pool';
import { describeReport, importOnlineRetail } from '../import/online-retail';
import { runSegmentEvaluation } from '../segments/evaluate';
import { seedDemoDefinitions } from './seed';

/** The shipped copy of UCI Online Retail (attribution in data/demo/ATTRIBUTION.md). */
export const DEMO_FILE = 'data/demo/online_retail.csv.gz';

// Two servers starting at once on one empty PostgreSQL must not both seed the demo.
const DEMO_LOCK = 7242002;

export interface DemoLoadOptions {
  log: (line: string) => void;
  /** Another file to load instead of the shipped one (tests). */
  file?: string;
  /** The clock for the time shift and the first evaluation (tests). */
  now?: Date;
}

/**
 * On a database without profiles: imports the demo data, creates the demo segments and audiences
 * (owned by the first admin) and runs one evaluation so the segments have members straight away.
 * Does nothing when there are profiles already. Returns whether it loaded the demo.
 */
export async function loadDemoIfEmpty(options: DemoLoadOptions): Promise<boolean> {
  const { log } = options;
  const lock = await getPool().connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [DEMO_LOCK]);
    const { rows } = await getPool().query<{ has: boolean }>('SELECT EXISTS (SELECT 1 FROM profiles) AS has');
    if (rows[0]?.has) return false;

    const file = path.resolve(options.file ?? DEMO_FILE);
    if (!existsSync(file)) {
      log(`no profiles yet, and no demo file at ${file}: starting without demo data`);
      return false;
    }
    log(`no profiles yet: loading the demo data from ${path.relative(process.cwd(), file) || file} (UCI Online Retail, CC BY 4.0)`);
    const report = await importOnlineRetail(file, { log, now: options.now });
    for (const line of describeReport(report)) log(`  ${line}`);

    const admin = await getPool().query<{ id: number }>(`SELECT id FROM users WHERE role = 'ADMIN' ORDER BY id LIMIT 1`);
    const ownerId = admin.rows[0]?.id ?? null;
    const seeded = await seedDemoDefinitions(ownerId);
    log(`demo segments created: ${seeded.segments.join(', ') || 'none (they exist already)'}`);
    log(`demo audiences created: ${seeded.audiences.join(', ') || 'none (they exist already)'}`);

    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: options.now });
    if (run.status === 'busy') {
      log('first evaluation skipped: another run is in progress; the scheduler will tag the segments');
    } else {
      log(`first evaluation (run ${run.runId}, ${run.ms} ms):`);
      for (const s of run.segments) log(`  ${s.name}: ${s.members.toLocaleString('en')} members${s.error ? ` (error: ${s.error})` : ''}`);
    }
    await audit({
      actorId: null,
      action: 'demo.load',
      entityType: 'dataset',
      entityId: 'online-retail',
      details: { file: report.file, rows: report.rowsRead, profiles: report.profilesCreated, ...seeded },
    });
    return true;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [DEMO_LOCK]).catch(() => {});
    lock.release();
  }
}
