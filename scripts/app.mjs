#!/usr/bin/env node
/**
 * `npm run app`: Flight Tracker as a person who installed it runs it. The production build (made
 * now when there is none or the sources are newer than it, about a minute on 2 cores), served
 * by `next start` on every address of the machine: open it at localhost, 127.0.0.1 or from
 * another machine. PORT (3000) and HOST (0.0.0.0) change where it listens.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const next = path.join(root, "node_modules", ".bin", "next");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const SOURCES = ["app", "components", "server", "db", "proxy.ts", "next.config.ts", "package.json", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];

/** The newest change to what the build is made from (tests excluded). */
function newestSource() {
  let newest = 0;
  const visit = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else if (!/\.test\.tsx?$/.test(file)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

const buildId = fs.statSync(path.join(root, ".next", "BUILD_ID"), { throwIfNoEntry: false });
if (!buildId || buildId.mtimeMs < newestSource()) {
  console.log(buildId ? "The sources changed since the last build: building again..." : "Building the app (once)...");
  const build = spawnSync(next, ["build"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = env.PORT || "3000";
const host = env.HOST || "0.0.0.0";
console.log(`Flight Tracker on http://localhost:${port} (and every address of this machine, port ${port})`);
const server = spawn(next, ["start", "-p", port, "-H", host], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
