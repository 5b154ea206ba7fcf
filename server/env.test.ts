import { afterEach, describe, expect, it, vi } from "vitest";

async function loadEnv(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value as string);
  return (await import("./env")).env;
}

const keys = ["DATABASE_URL", "DATABASE_POOL_MAX", "DATABASE_CONNECT_TIMEOUT", "DATABASE_MIGRATE_ON_START", "EMBEDDED_DATABASE_DIR", "LOG_LEVEL"];

describe("env", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("needs nothing: every variable has a default", async () => {
    const env = await loadEnv(Object.fromEntries(keys.map((k) => [k, undefined])));
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.EMBEDDED_DATABASE_DIR).toBe(".data/pglite");
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.DATABASE_CONNECT_TIMEOUT).toBe(5);
    expect(env.DATABASE_MIGRATE_ON_START).toBe(false);
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("treats an empty value as unset", async () => {
    const env = await loadEnv({ DATABASE_URL: "", DATABASE_POOL_MAX: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATABASE_POOL_MAX).toBe(10);
  });

  it("reads and converts what is set", async () => {
    const env = await loadEnv({
      DATABASE_URL: "postgresql://app:secret@db.internal:5433/flights",
      DATABASE_POOL_MAX: "25",
      DATABASE_MIGRATE_ON_START: "true",
      LOG_LEVEL: "debug",
    });
    expect(env.DATABASE_URL).toBe("postgresql://app:secret@db.internal:5433/flights");
    expect(env.DATABASE_POOL_MAX).toBe(25);
    expect(env.DATABASE_MIGRATE_ON_START).toBe(true);
    expect(env.LOG_LEVEL).toBe("debug");
  });

  it.each([
    ["DATABASE_URL", "mysql://root@localhost/db"],
    ["DATABASE_URL", "not a url"],
    ["DATABASE_POOL_MAX", "0"],
    ["DATABASE_POOL_MAX", "many"],
    ["DATABASE_MIGRATE_ON_START", "perhaps"],
    ["LOG_LEVEL", "loud"],
  ])("names %s when it is invalid (%s)", async (key, value) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(loadEnv({ [key]: value })).rejects.toThrow(new RegExp(`${key}:`));
  });
});

describe("the settings' documentation", () => {
  it("names every variable env.ts reads in .env.example and in the README", async () => {
    const fs = await import("node:fs");
    const source = fs.readFileSync("server/env.ts", "utf8");
    const names = [...source.matchAll(/^ {4}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(40);
    const example = fs.readFileSync(".env.example", "utf8");
    const readme = fs.readFileSync("README.md", "utf8");
    // Bench and test-only switches are documented with the tools that read them.
    for (const name of names.filter((n) => n !== "BENCH_ROUTES")) {
      expect(example, name).toContain(name);
      expect(readme, name).toContain(name);
    }
  });

  it("rejects a malformed cadence with the reason", async () => {
    await expect(loadEnv({ INGEST_CADENCE: "60:12,14:6" })).rejects.toThrow(/INGEST_CADENCE: one tier must start at 0 days/);
  });
});
