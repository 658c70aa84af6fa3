// Next.js calls register() once when the server starts: the place for the built-in scheduler.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NODE_ENV === 'production') {
    // `npm start` provides one; a deployment started otherwise must configure it (the route answers 503 until then).
    const { cronSecretProblem } = await import('./lib/segments/cron-auth');
    const problem = cronSecretProblem();
    if (problem) console.error(`[tagwise] the scheduled route /api/cron/segments is disabled: ${problem}`);
    // Session cookies are Secure only when the public URL is https (lib/auth/options.ts).
    const url = process.env.NEXTAUTH_URL ?? '';
    if (url.startsWith('http://') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(url)) {
      console.warn(`[tagwise] NEXTAUTH_URL is ${url}: served beyond this machine, use https so session cookies are Secure`);
    }
  }
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.DATABASE_URL) {
    const { startScheduler } = await import('./lib/segments/scheduler');
    startScheduler();
    // Drains the changes tracking calls queued, including any a crash left queued.
    const { startRealtimeEvaluation } = await import('./lib/segments/realtime');
    startRealtimeEvaluation();
  }
}
