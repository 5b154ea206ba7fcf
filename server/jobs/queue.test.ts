import PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { prepareAlertQueues } from "@/server/alerts/runtime";
import { TEST_CONFIG } from "@/test/app-context";
import { skipEngine, TEST_SERVER_URL } from "@/test/engines";
import { PGBOSS_SCHEMA, prepareQueues, QUEUES, retryOnDeadlock } from "./queue";

const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "40P01" });

describe("retryOnDeadlock", () => {
  it("tries again while Postgres picks it as a deadlock's victim, and gives up after the last attempt", async () => {
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    let calls = 0;
    expect(await retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(deadlock()) : "made"), { wait })).toBe("made");
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    calls = 0;
    await expect(retryOnDeadlock(async () => (calls++, Promise.reject(deadlock())), { attempts: 4, wait })).rejects.toMatchObject({ code: "40P01" });
    expect(calls).toBe(4);
  });

  it("passes any other error at once", async () => {
    let calls = 0;
    await expect(retryOnDeadlock(async () => (calls++, Promise.reject(Object.assign(new Error("no"), { code: "42P01" }))))).rejects.toThrow("no");
    expect(calls).toBe(1);
  });
});

// Several workers (and web instances) starting at the same moment on a fresh database: each makes
// pg-boss's schema and every queue. Without retryOnDeadlock some of them died of 40P01.
describe.skipIf(skipEngine("server"))("job queues made by several processes at once [server]", () => {
  it("all of them start, and every queue exists once", async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await createFreshDatabase(TEST_SERVER_URL, "ft_queues");
      const bosses = Array.from({ length: 4 }, () => new PgBoss({ connectionString: fresh.url, schema: PGBOSS_SCHEMA, max: 3, supervise: false, schedule: false, migrate: true }));
      try {
        await Promise.all(bosses.map(async (boss) => {
          boss.on("error", () => {});
          await boss.start();
          await Promise.all([prepareQueues(boss, TEST_CONFIG), prepareAlertQueues(boss, TEST_CONFIG)]);
        }));
        const names = (await bosses[0]!.getQueues()).map((q) => q.name).sort();
        expect(names).toEqual(expect.arrayContaining(Object.values(QUEUES)));
        expect(new Set(names).size).toBe(names.length);
      } finally {
        await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true }).catch(() => {})));
        await fresh.drop();
      }
    }
  });
});
