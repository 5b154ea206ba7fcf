/**
 * `npm run bench:web`: the pages as a browser meets them, from the production build on loopback.
 *  - First-load JavaScript of each page: every script the page's HTML loads (noModule polyfills
 *    aside), gzipped, summed.
 *  - In Chromium (a fresh context per run, so a cold browser cache), median of 5 runs:
 *      time to the first result on the results page (navigation start to the first offer on
 *      screen, each run a search nobody made before, with the simulated sellers' own latency),
 *      time to the whole ranked list, and the largest contentful paint of the home, results
 *      and route pages.
 * Targets (issue 4): first-load JS < 250 kB gzipped per page; first result < 1 s; LCP < 1.5 s.
 * Options: --runs=N (default 5), --skip-build.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, type Browser } from "@playwright/test";
import { buildUnlessSkipped, parseArgs, root, startServer, waitFor } from "./support";

const args = parseArgs();
const RUNS = Number(args.runs ?? 5);
const PORT = 3220;
const BASE = `http://127.0.0.1:${PORT}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const PAGES: Record<string, string> = {
  home: "/",
  results: `/search?originCode=LHR&destinationCode=JFK&departureDate=${day(30)}`,
  route: "/routes/LHR-JFK",
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Sums the gzipped size of every script the page's HTML loads in a current browser: noModule
 * scripts (Next's polyfills for old browsers) are skipped, as such browsers skip them.
 */
async function firstLoadJs(pagePath: string): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await (await fetch(`${BASE}${pagePath}`)).text();
  const sources = new Set([...html.matchAll(/<script([^>]+)>/g)].filter((m) => !/noModule/i.test(m[1]!)).flatMap((m) => /src="([^"]+)"/.exec(m[1]!)?.[1] ?? []));
  let raw = 0;
  let gzip = 0;
  for (const src of sources) {
    const file = path.join(root, ".next", decodeURIComponent(src.replace(/^\/_next\//, "").split("?")[0]!));
    const body = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.from(await (await fetch(`${BASE}${src}`)).arrayBuffer());
    raw += body.length;
    gzip += zlib.gzipSync(body, { level: 9 }).length;
  }
  return { files: sources.size, raw, gzip };
}

/** LCP of one cold load, and for the results page the time to the first and to every result. */
async function measure(browser: Browser, pagePath: string): Promise<{ lcp: number; firstResult?: number; allResults?: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  await context.addInitScript(`
    window.__lcp = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
      .observe({ type: "largest-contentful-paint", buffered: true });
    new MutationObserver(() => {
      if (window.__first === undefined && document.querySelector('[data-testid="offer"]')) window.__first = performance.now();
      if (window.__all === undefined && document.querySelector('[aria-label="Flights"] [data-testid="offer"]')) window.__all = performance.now();
    }).observe(document, { childList: true, subtree: true });
  `);
  const page = await context.newPage();
  await page.goto(`${BASE}${pagePath}`, { waitUntil: "load" });
  if (pagePath.startsWith("/search")) await page.waitForSelector('[aria-label="Flights"] [data-testid="offer"]', { timeout: 20_000 });
  await page.waitForTimeout(800);
  // LCP is final once the user interacts; a key press ends it without changing the page.
  await page.keyboard.press("Shift");
  const figures = (await page.evaluate("({ lcp: window.__lcp, firstResult: window.__first, allResults: window.__all })")) as {
    lcp: number;
    firstResult?: number;
    allResults?: number;
  };
  await context.close();
  return figures;
}

async function main() {
  buildUnlessSkipped(args);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-bench-web-"));
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_DATABASE_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", RATE_LIMIT_SEARCH_PER_MINUTE: "0" };
  delete env.DATABASE_URL;
  console.log("seeding the demo history (the route page reads it)...");
  const seed = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/seed.ts", "--demo"], { cwd: root, env, stdio: "ignore" });
  if (seed.status !== 0) throw new Error("seeding failed");
  const server: ChildProcess = startServer(PORT, env);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    await waitFor(`${BASE}/api/health`);
    // Warm the server (first compile of each route, reference data in memory), not the browser.
    for (const pagePath of Object.values(PAGES)) await fetch(`${BASE}${pagePath.replace(day(30), day(29))}`);

    console.log("\nFirst-load JavaScript (scripts in the page's HTML; target < 250 kB gzipped)");
    console.log("page      files   raw kB   gzip kB");
    for (const [name, pagePath] of Object.entries(PAGES)) {
      const js = await firstLoadJs(pagePath);
      console.log(`${name.padEnd(9)} ${String(js.files).padStart(5)} ${(js.raw / 1024).toFixed(1).padStart(8)} ${(js.gzip / 1024).toFixed(1).padStart(9)}`);
    }

    console.log(`\nIn Chromium, cold browser cache, median of ${RUNS} runs (ms)`);
    const rows: string[] = [];
    for (const [name, pagePath] of Object.entries(PAGES)) {
      const lcps: number[] = [];
      const firsts: number[] = [];
      const alls: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Each results run is a new search (another date): no cache helps it.
        const target = name === "results" ? pagePath.replace(day(30), day(31 + run)) : pagePath;
        const figures = await measure(browser, target);
        lcps.push(figures.lcp);
        if (figures.firstResult !== undefined) firsts.push(figures.firstResult);
        if (figures.allResults !== undefined) alls.push(figures.allResults);
      }
      rows.push(
        `${name.padEnd(9)} LCP ${median(lcps).toFixed(0).padStart(5)}` +
          (firsts.length ? `   first result ${median(firsts).toFixed(0).padStart(5)}   whole list ${median(alls).toFixed(0).padStart(5)}` : ""),
      );
    }
    for (const row of rows) console.log(row);
    console.log("\nTargets: LCP < 1500 ms on every page; first result < 1000 ms.");
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
