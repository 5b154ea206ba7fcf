import { expect, it } from "vitest";
import { getSetting } from "@/db/queries/app-settings";
import { describeEachEngine } from "@/test/engines";
import { authSecrets, GENERATED_SECRET_SETTING } from "./secret";

describeEachEngine("the sign-in secret", ({ database }) => {
  const db = () => database().db;

  it("is generated once per database and shared, even by instances starting at once", async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => authSecrets(db(), { previousSecrets: [] })));
    const [first] = all[0]!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(all.map(([secret]) => secret)).toEqual(Array(5).fill(first));
    expect(await getSetting(db(), GENERATED_SECRET_SETTING)).toBe(first);
    expect(await authSecrets(db(), { previousSecrets: [] })).toEqual([first]);
  });

  it("is AUTH_SECRET when set, before the earlier ones still accepted", async () => {
    const current = "c".repeat(40);
    const earlier = ["e".repeat(40), "f".repeat(40)];
    expect(await authSecrets(db(), { secret: current, previousSecrets: earlier })).toEqual([current, ...earlier]);
    const generated = await getSetting(db(), GENERATED_SECRET_SETTING);
    // The generated one, when there is no AUTH_SECRET, still comes before the earlier ones.
    const [signing, ...rest] = await authSecrets(db(), { previousSecrets: earlier });
    expect(rest).toEqual(earlier);
    expect(signing).toBe(generated ?? signing);
  });
});
