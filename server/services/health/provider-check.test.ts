import crypto from "node:crypto";
import { expect, it } from "vitest";
import { upsertFlightQuery } from "@/db/queries/snapshots";
import { recordProviderCalls } from "@/db/queries/provider-calls";
import type { ProviderReport } from "@/server/core/provider-report";
import { setProviderPaused, type PausedProviders } from "@/server/providers/pauses";
import { describeEachEngine } from "@/test/engines";
import { uniqueQuery } from "@/test/fixtures";
import { Deadline } from "./dependency";
import { checkProviders, RECENT_CALLS, RECENT_WINDOW_MINUTES, type ProviderSource } from "./provider-check";

const MINUTE = 60_000;

describeEachEngine("checkProviders", ({ database }) => {
  /** A provider of this test's own (provider_call is shared by the file's tests). */
  const provider = (breaker: ProviderSource["breaker"] = "closed"): ProviderSource => ({ id: `p${crypto.randomBytes(4).toString("hex")}`, name: "Test", simulated: false, breaker });

  /** Its calls, `minutesAgo` each, ok or failed. */
  async function calls(id: string, outcomes: [minutesAgo: number, status: ProviderReport["status"]][]) {
    const queryId = await upsertFlightQuery(database().db, uniqueQuery(), new Date());
    await recordProviderCalls(
      database().db,
      outcomes.map(([ago, status]) => ({
        queryId,
        observedAt: new Date(Date.now() - ago * MINUTE),
        providers: [{ provider: id, name: "Test", simulated: false, status, latencyMs: 120, offerCount: status === "ok" ? 3 : 0, error: status === "ok" ? null : `failed ${ago}`, attempts: 1 }],
      })),
    );
  }

  const check = (providers: ProviderSource[], pauses: PausedProviders = {}) =>
    checkProviders(providers, { db: Promise.resolve(database().db), pauses: async () => pauses }, new Deadline(5_000));

  it("a provider never called is ok, with no last call", async () => {
    const p = provider();
    expect(await check([p])).toEqual([expect.objectContaining({ id: p.id, status: "ok", breaker: "closed", lastCall: null, recent: { calls: 0, failed: 0 }, pausedSince: null })]);
  });

  it("judges by its latest calls across instances: one failure ok, most failed degraded, all failed down", async () => {
    const [fine, flaky, dead] = [provider(), provider(), provider()];
    await calls(fine.id, [[1, "ok"], [2, "error"], [3, "ok"], [4, "ok"], [5, "ok"]]);
    await calls(flaky.id, [[1, "timeout"], [2, "ok"], [3, "error"], [4, "error"], [5, "ok"]]);
    await calls(dead.id, [[1, "error"], [2, "timeout"], [3, "circuit_open"], [4, "error"], [5, "error"], [6, "ok"]]);
    const byId = new Map((await check([fine, flaky, dead])).map((h) => [h.id, h]));
    expect(byId.get(fine.id)).toMatchObject({ status: "ok", error: null, recent: { calls: RECENT_CALLS, failed: 1 }, lastCall: { status: "ok", latencyMs: 120 } });
    expect(byId.get(flaky.id)).toMatchObject({ status: "degraded", error: "3 of its last 5 calls failed.", lastCall: { status: "timeout", error: "failed 1" } });
    expect(byId.get(dead.id)).toMatchObject({ status: "down", error: "Its last 5 calls failed.", recent: { calls: 5, failed: 5 } });
  });

  it("failures older than the window do not count, though the last call is still shown", async () => {
    const p = provider();
    const old = RECENT_WINDOW_MINUTES + 10;
    await calls(p.id, [[old, "error"], [old + 1, "error"], [old + 2, "error"], [old + 3, "error"], [old + 4, "error"]]);
    const [health] = await check([p]);
    expect(health).toMatchObject({ status: "ok", recent: { calls: 0, failed: 0 }, lastCall: { status: "error", error: `failed ${old}` } });
  });

  it("an open breaker is down, a half-open one degraded, whatever the record says", async () => {
    const [open, probing] = [provider("open"), provider("half_open")];
    const byId = new Map((await check([open, probing])).map((h) => [h.id, h]));
    expect(byId.get(open.id)).toMatchObject({ status: "down", breaker: "open" });
    expect(byId.get(probing.id)).toMatchObject({ status: "degraded", breaker: "half_open" });
  });

  it("a provider an admin paused is disabled, with since when, even while failing", async () => {
    const p = provider();
    await calls(p.id, [[1, "error"], [2, "error"], [3, "error"], [4, "error"], [5, "error"]]);
    const pauses = await database().db.transaction((tx) => setProviderPaused(tx, p.id, { pausedAt: "2027-01-01T00:00:00.000Z", pausedBy: null, reason: "maintenance" }));
    const [health] = await check([p], pauses);
    expect(health).toMatchObject({ status: "disabled", error: null, pausedSince: "2027-01-01T00:00:00.000Z", note: expect.stringMatching(/Paused by an administrator/) });
    await database().db.transaction((tx) => setProviderPaused(tx, p.id, null));
  });

  it("when the record cannot be read: degraded, saying so, breaker still shown", async () => {
    const p = provider();
    const [health] = await checkProviders([p], { db: Promise.reject(new Error("connection refused")), pauses: async () => ({}) }, new Deadline(1_000));
    expect(health).toMatchObject({ status: "degraded", breaker: "closed", latencyMs: null, error: expect.stringMatching(/cannot be read: connection refused/) });
  });
});
