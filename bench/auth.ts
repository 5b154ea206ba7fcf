/**
 * `npm run bench:auth`: what identity costs a request. On each engine (a fresh embedded database
 * in memory, and a fresh database on TEST_DATABASE_URL's server when it answers), resolves the
 * principal of N requests sequentially: with no credentials (anonymous: no database), with a
 * session cookie, and with an API key (one of them writing last_used_at, the rest within the
 * minute). Prints microseconds per request, and the ratio to the floor of any lookup: one
 * `SELECT 1` round trip to the same database.
 * Options: --requests=N (default 2000).
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { createApiKey } from "@/db/queries/api-keys";
import { ensureUser } from "@/db/queries/users";
import type { Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import { accountsAdapter } from "@/server/auth/adapter";
import { principalFrom } from "@/server/auth/principal";
import { onEachEngine, parseArgs } from "./support";

const REQUESTS = Number(parseArgs().requests ?? 2000);

async function measure(label: string, database: Database): Promise<void> {
  await migrate(database);
  const user = await ensureUser(database.db, "bench@example.test");
  const token = crypto.randomBytes(32).toString("hex");
  await accountsAdapter(database.db).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 86_400_000) });
  const { key } = await createApiKey(database.db, user.id, { name: "bench", scopes: ["search"] });
  const cases: [string, Headers][] = [
    ["anonymous", new Headers({ "user-agent": "bench" })],
    ["session cookie", new Headers({ cookie: `theme=dark; authjs.session-token=${token}` })],
    ["API key", new Headers({ authorization: `Bearer ${key}` })],
  ];
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 50; i++) await run(); // warm up
    const start = process.hrtime.bigint();
    for (let i = 0; i < REQUESTS; i++) await run();
    return Number(process.hrtime.bigint() - start) / 1000 / REQUESTS;
  };
  const floor = await timed(() => database.db.execute(sql`SELECT 1`));
  console.log(`\n${label}: principal of ${REQUESTS} requests, one after another`);
  console.log(`  ${"SELECT 1".padEnd(15)} ${floor.toFixed(1).padStart(8)} µs/request   (the floor of any lookup)`);
  for (const [name, headers] of cases) {
    const us = await timed(() => principalFrom(database.db, headers));
    console.log(`  ${name.padEnd(15)} ${us.toFixed(1).padStart(8)} µs/request   (${(us / floor).toFixed(2)}× SELECT 1)`);
  }
}

await onEachEngine("ft_bench", measure, { poolMax: 4 });
