// Headers for every response. Pages also get their per-request Content-Security-Policy from
// proxy.ts (it needs a fresh nonce); route handlers, which serve JSON and CSV, get a policy that
// allows nothing at all.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' }, // frame-ancestors 'none' for browsers without CSP 2
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // The app uses none of these; a script that got in could not either.
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), display-capture=(), browsing-topics=()',
  },
  // Browsers heed this only over https (RFC 6797), so it is harmless on the http quick start.
  ...(process.env.NODE_ENV === 'production' ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000' }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with wasm or native parts stay out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg', 'pg-query-stream', 'bcryptjs'],
  typedRoutes: false,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" }] },
    ];
  },
};

export default nextConfig;
