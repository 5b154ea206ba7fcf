import { expect, it } from "vitest";
import { makeOffer } from "@/test/offers";
import { progressChannel, PREVIEW_OFFERS } from "./progress-channel";

const providers = [
  { id: "a", name: "A", simulated: true },
  { id: "b", name: "B", simulated: false },
];
const report = (provider: string, status: "ok" | "error" = "ok", latencyMs = 100) => ({
  provider,
  name: provider.toUpperCase(),
  status,
  latencyMs,
  offerCount: 2,
  error: status === "ok" ? null : "boom",
  simulated: true,
  attempts: 1,
});

it("settles a provider's promise once it has answered for every cabin, with its best offers", async () => {
  const channel = progressChannel(providers, 2);
  let settled = false;
  void channel.promises[0]!.then(() => (settled = true));
  const offers = Array.from({ length: 12 }, (_, i) => makeOffer({ price: 50_000 - i * 1_000, number: i }));
  channel.listener({ cabin: "economy", report: report("a", "ok", 120), offers });
  await Promise.resolve();
  expect(settled).toBe(false);
  channel.listener({ cabin: "business", report: report("a", "error", 300), offers: [] });
  const chip = await channel.promises[0]!;
  expect(chip).toMatchObject({ provider: "a", status: "error", latencyMs: 300, offerCount: 4, error: "boom" });
  expect(chip.preview.length).toBe(PREVIEW_OFFERS);
  // Unknown providers are ignored; the rest settle as "skipped" when the search ends.
  channel.listener({ cabin: "economy", report: report("zzz"), offers: [] });
  channel.settle();
  expect(await channel.promises[1]!).toMatchObject({ provider: "b", status: "skipped", preview: [] });
});
