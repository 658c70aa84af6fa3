// `npm run import -- <file>`: imports a UCI Online Retail CSV (gzipped or not) into DATABASE_URL,
// the running `npm start`'s embedded database, or the embedded database opened for the occasion.
import { ExpectedError } from '../lib/auth/errors';
import { withCliDatabase } from '../lib/db/cli';
import { applyMigrations } from '../lib/db/migrate';
import { describeReport, importOnlineRetail } from '../lib/import/online-retail';
import { runSegmentEvaluation } from '../lib/segments/evaluate';

const USAGE = `Usage: npm run import -- <file>

Imports a UCI Online Retail file (.csv or .csv.gz; also Online Retail II) as profiles and order events.
Example: npm run import -- data/demo/online_retail.csv.gz
Details: docs/import.md`;

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1) {
    console.error(args.length === 0 ? 'Which file? Give the path of the CSV to import.\n' : 'Give exactly one file.\n');
    console.error(USAGE);
    return 2;
  }
  const file = args[0]!;
  return withCliDatabase(async (url) => {
    await applyMigrations(url, { log: console.log }); // a fresh database works without `npm start` first
    const report = await importOnlineRetail(file, { log: console.log });
    console.log('done:');
    for (const line of describeReport(report)) console.log(`  ${line}`);
    if (report.metricsChanged > 0 || report.profilesCreated > 0) {
      // New data: re-tag now rather than at the next scheduled run.
      const run = await runSegmentEvaluation({ trigger: 'DATA_CHANGE' });
      console.log(
        run.status === 'busy'
          ? 'segments: an evaluation is already running; the next scheduled run will re-tag'
          : `segments re-evaluated (run ${run.runId}): ${run.segments.map((s) => `${s.name} ${s.members}`).join(', ') || 'no active segments'}`,
      );
    }
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ExpectedError ? error.message : error);
    process.exit(1);
  },
);
