import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/** A child process whose output goes to a log file and is kept to look for lines in. */
export interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Managed {
  const log = fs.createWriteStream(options.logFile);
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: string[] = [];
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString());
    log.write(chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => {
      exitCode = code ?? (signal ? null : 0);
      log.end();
      resolve(exitCode);
    }),
  );
  return {
    name,
    child,
    logFile: options.logFile,
    output: () => chunks.join(""),
    exited,
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined || child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nothing listens on at the moment, on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The first error a process's output names, to say why it exited. */
function firstError(output: string): string {
  const line = output.split("\n").find((l) => /^(\w*Error|error)(:| \[)|"level":"error"/.test(l.trim()));
  return line ? `: ${line.trim().slice(0, 200)}` : "";
}

/** Retries `probe` every `everyMs` until it returns a value, the process dies or `deadline` passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>, options: { deadline: number; everyMs?: number; process?: Managed }): Promise<T> {
  let died = false;
  void options.process?.exited.then(() => (died = true));
  let last: unknown = null;
  while (Date.now() < options.deadline) {
    if (died) throw new Error(`${what}: ${options.process!.name} exited${firstError(options.process!.output())} (${options.process!.logFile})`);
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 250));
  }
  throw new Error(`${what}: not within the deadline${last instanceof Error ? ` (last: ${last.message})` : ""}`);
}
