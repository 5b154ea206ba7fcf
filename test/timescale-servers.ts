import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL server from the TimescaleDB installation that
 * ../shared/timescaledb/start-server.sh builds (TIMESCALEDB_PREFIX, default
 * /opt/timescaledb-pg15), started WITHOUT preloading TimescaleDB: it lists the extension as
 * available, and CREATE EXTENSION there ends the connection. For testing that case.
 */
const prefix = process.env.TIMESCALEDB_PREFIX || "/opt/timescaledb-pg15";
const bin = path.join(prefix, "lib", "postgresql", "15", "bin");

export function unpreloadedTimescaleUnavailable(): string | null {
  return fs.existsSync(path.join(bin, "initdb")) ? null : `no TimescaleDB installation at ${prefix} (run ../shared/timescaledb/start-server.sh)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** PostgreSQL refuses to run as root: as root, run its tools as the postgres user. */
function run(tool: string, args: string[]) {
  const command = [path.join(bin, tool), ...args];
  if (process.getuid?.() === 0) execFileSync("su", ["postgres", "-c", command.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ")], { stdio: "ignore" });
  else execFileSync(command[0]!, command.slice(1), { stdio: "ignore" });
}

export async function startUnpreloadedTimescale(): Promise<{ url: string; stop(): Promise<void> }> {
  const problem = unpreloadedTimescaleUnavailable();
  if (problem) throw new Error(problem);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-unpreloaded-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  const data = path.join(dir, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  run("pg_ctl", ["-D", data, "-o", `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`, "-l", path.join(dir, "log"), "-w", "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
