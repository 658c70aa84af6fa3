import http from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route types its own params
type Handler = (request: Request, context: { params: Promise<any> }) => Promise<Response> | Response;

/**
 * Serves Next route handlers (Request in, Response out) on a real local HTTP port, for tests that drive
 * them with real client libraries. `routes` maps a path pattern with `[param]` segments to its handlers.
 */
export async function serveRoutes(routes: Record<string, Partial<Record<'POST' | 'GET' | 'OPTIONS', Handler>>>): Promise<{ url: string; close(): Promise<void> }> {
  const compiled = Object.entries(routes).map(([pattern, handlers]) => {
    const names: string[] = [];
    const regex = new RegExp(`^${pattern.replace(/\[(\w+)\]/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
    return { regex, names, handlers };
  });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const route = compiled.map((r) => ({ r, m: r.regex.exec(url.pathname) })).find((x) => x.m);
      const handler = route?.r.handlers[req.method as 'POST' | 'GET' | 'OPTIONS'];
      if (!route || !handler) {
        res.writeHead(route ? 405 : 404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
      const params = Object.fromEntries(route.r.names.map((name, i) => [name, decodeURIComponent(route.m![i + 1]!)]));
      const response = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
