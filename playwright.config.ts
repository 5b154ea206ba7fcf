import { defineConfig } from "@playwright/test";
import { serverReachable } from "./scripts/fresh-database.mjs";

/**
 * End-to-end tests drive the production build (`npm run build` first; `npm test` does it) in
 * Debian's Chromium. Playwright cannot download browsers here, so the executable is given.
 * Each project runs against its own `next start` in one configuration (scripts/e2e-server.mjs).
 */
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const serverUrl = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const timescaleUrl = process.env.TEST_TIMESCALE_URL || "postgres://postgres@127.0.0.1:5433/postgres";

// Locally, a server that cannot be reached means no project for it; in CI it must be there, so
// a missing server fails the run instead of quietly skipping.
const withServer = Boolean(process.env.CI) || (await serverReachable(serverUrl));
if (!withServer) console.warn(`[e2e] PostgreSQL server project skipped: ${serverUrl} unreachable.`);
const withTimescale = Boolean(process.env.CI) || (await serverReachable(timescaleUrl));
if (!withTimescale) console.warn(`[e2e] TimescaleDB server project skipped: ${timescaleUrl} unreachable.`);

const servers = [
  { name: "embedded", port: 3100, ready: "/api/health", testMatch: /(app|api|bad-input|sign-in|tracking|alerts|graphql)\.spec\.ts/ },
  { name: "unreachable-database", port: 3101, ready: "/", testMatch: /unreachable\.spec\.ts/ },
  { name: "web", port: 3103, ready: "/api/health", testMatch: /(journey|web|a11y|security|admin)\.spec\.ts/ },
  { name: "failing-provider", port: 3104, ready: "/api/health", testMatch: /(failing|observability)\.spec\.ts/ },
  // The quick start's command and the development server, opened at 127.0.0.1.
  { name: "quick-start", port: 3106, ready: "/api/health", testMatch: /any-address\.spec\.ts/ },
  { name: "dev", port: 3107, ready: "/api/health", testMatch: /any-address\.spec\.ts/ },
  ...(withServer ? [{ name: "postgres-server", port: 3102, ready: "/api/health", testMatch: /(server|bad-input)\.spec\.ts/ }] : []),
  ...(withTimescale ? [{ name: "timescale-server", port: 3105, ready: "/api/health", testMatch: /(server|bad-input)\.spec\.ts/ }] : []),
];
const mode: Record<string, string> = {
  embedded: "embedded",
  "unreachable-database": "unreachable",
  "postgres-server": "server",
  "timescale-server": "timescale",
  web: "web",
  "failing-provider": "failing",
  "quick-start": "app",
  dev: "dev",
};

export default defineConfig({
  testDir: "e2e",
  outputDir: ".test-output/e2e-artifacts",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: ".test-output/e2e.json" }]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    },
    trace: "retain-on-failure",
  },
  webServer: servers.map((server) => ({
    command: `node scripts/e2e-server.mjs ${mode[server.name]} ${server.port}`,
    url: `http://127.0.0.1:${server.port}${server.ready}`,
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop Next.js and drop the database it created.
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  })),
  projects: [
    ...servers.map((server) => ({
      name: server.name,
      testMatch: server.testMatch,
      use: { baseURL: `http://127.0.0.1:${server.port}` },
    })),
    // The whole journey again on a phone-sized window.
    { name: "web-phone", testMatch: /journey\.spec\.ts/, use: { baseURL: "http://127.0.0.1:3103", viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } },
  ],
});
