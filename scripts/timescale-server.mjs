/**
 * The TimescaleDB server of the test setup, for `npm test` and `npm run smoke:multi`:
 * TEST_TIMESCALE_URL when set (taken as is), else the one on 127.0.0.1:5433 when it answers,
 * else one started with ../shared/timescaledb/start-server.sh (the first run builds it), which
 * `stop()` stops again. Plain JavaScript so that scripts/test.mjs can use it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serverReachable } from "./fresh-database.mjs";

export const DEFAULT_TIMESCALE_URL = "postgres://postgres@127.0.0.1:5433/postgres";

/**
 * Returns `url` (null when there is no server and none could be started; `problem` says why) and
 * `stop`, which stops a server this call started and does nothing otherwise.
 */
export async function ensureTimescaleServer(env, root) {
  const none = () => {};
  if (env.TEST_TIMESCALE_URL) return { url: env.TEST_TIMESCALE_URL, stop: none, problem: null };
  if (await serverReachable(DEFAULT_TIMESCALE_URL)) return { url: DEFAULT_TIMESCALE_URL, stop: none, problem: null };
  const scripts = path.resolve(root, "..", "shared", "timescaledb");
  if (!fs.existsSync(path.join(scripts, "start-server.sh"))) {
    return { url: null, stop: none, problem: "no TimescaleDB server and no ../shared/timescaledb to start one" };
  }
  console.log("[timescaledb] starting a server (../shared/timescaledb/start-server.sh; the first run builds it)");
  const started = spawnSync("bash", [path.join(scripts, "start-server.sh")], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const url = started.stdout?.trim().split("\n").at(-1);
  if (started.status !== 0 || !url?.startsWith("postgres://")) return { url: null, stop: none, problem: "the TimescaleDB server did not start" };
  return {
    url,
    stop: () => spawnSync("bash", [path.join(scripts, "stop-server.sh"), "--remove-data"], { cwd: root, env, stdio: "ignore" }),
    problem: null,
  };
}
