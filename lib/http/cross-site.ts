/**
 * Whether a state-changing request to a page (a server action is a POST to the page's URL) comes
 * from another site. Next makes the same Origin-against-Host check for server actions, answering a
 * bare 500; proxy.ts makes it first, for every page POST, and answers a plain 403. A request
 * without Origin is not judged here: browsers send it on every cross-origin POST, and our cookies
 * are SameSite=Lax, so a cross-site POST carries no session anyway.
 */
export function isCrossSiteWrite(request: { method: string; headers: Headers }): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  if (origin === 'null') return true; // sandboxed frames, data: URLs: never our own pages
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  const host = (request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? '').split(',')[0]!.trim();
  return originHost !== host;
}
