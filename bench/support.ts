/** What the HTTP and browser benchmarks share: options, the production build and its server. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/** `--name=value` and `--flag` options. */
export function parseArgs(argv = process.argv.slice(2)): Record<string, string> {
  return Object.fromEntries(
    argv.map((arg) => {
      const [key, value] = arg.replace(/^--/, "").split("=");
      return [key, value ?? "true"];
    }),
  );
}

/** `next build`, unless --skip-build. */
export function buildUnlessSkipped(args: Record<string, string>): void {
  if (args["skip-build"]) return;
  console.log("building...");
  const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
}

/** `next start` on loopback. */
export function startServer(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: "ignore" });
}

export async function waitFor(url: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}
