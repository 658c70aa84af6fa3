// Next.js calls register() once when the server starts: the place for the built-in scheduler.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.DATABASE_URL) {
    const { startScheduler } = await import('./lib/segments/scheduler');
    startScheduler();
  }
}
