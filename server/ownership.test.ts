import { expect, it } from "vitest";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { auditEvents } from "@/db/queries/audit";
import { ensureUser } from "@/db/queries/users";
import type { Principal } from "@/server/auth/principal";
import { adminProcedure, createTRPCRouter, createCallerFactory } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

/**
 * The ownership matrix: every resource a user owns, on every surface that serves it. Another
 * user can neither read, change nor delete it; anonymous calls get 401; admin-only procedures
 * refuse users. Each new resource (and surface) adds a row here.
 * Surfaces so far: tRPC. (REST, GraphQL and pages join as they serve these resources.)
 */

type Caller = ReturnType<typeof createCaller>;

interface OwnedResource {
  name: string;
  /** Makes one for `owner`; returns its id. */
  create(caller: Caller): Promise<string>;
  /** The ids `caller` can see. */
  list(caller: Caller): Promise<string[]>;
  /** Changes or deletes it as `caller` (throws when refused). */
  mutate(caller: Caller, id: string): Promise<unknown>;
  /** Whether it is still intact for its owner after a refused attempt. */
  intact(caller: Caller, id: string): Promise<boolean>;
}

const RESOURCES: OwnedResource[] = [
  {
    name: "API key",
    create: async (caller) => (await caller.apiKey.create({ name: "matrix", scopes: ["search"] })).summary.id,
    list: async (caller) => (await caller.apiKey.list()).map((k) => k.id),
    mutate: (caller, id) => caller.apiKey.revoke({ id }),
    intact: async (caller, id) => (await caller.apiKey.list()).some((k) => k.id === id && k.revokedAt === null),
  },
];

let sequence = 0;

describeEachEngine("ownership", ({ app }) => {
  const context = procedureContext(app);
  const as = (principal: Principal | null) => createCaller(context({ principal }));
  const user = async (role: "user" | "admin" = "user"): Promise<Principal> => {
    const row = await ensureUser(app().db, `owner-${Date.now()}-${sequence++}@example.test`);
    return { via: "session", userId: row.id, role };
  };

  for (const resource of RESOURCES) {
    it(`${resource.name}: another user can neither read, change nor delete it; anonymous gets 401`, async () => {
      const owner = as(await user());
      const stranger = as(await user());
      const id = await resource.create(owner);
      expect(await resource.list(owner)).toContain(id);
      expect(await resource.list(stranger)).not.toContain(id);
      await expect(resource.mutate(stranger, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await resource.intact(owner, id)).toBe(true);
      await expect(resource.list(as(null))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(resource.mutate(as(null), id)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(resource.create(as(null))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      expect(await resource.intact(owner, id)).toBe(true);
      await resource.mutate(owner, id);
    });
  }

  it("API keys are managed with a session only: a key can neither list, make nor revoke keys", async () => {
    const owner = await user();
    const { key, summary } = await as(owner).apiKey.create({ name: "robot", scopes: ["search", "history"], expiresInDays: 30 });
    expect(summary.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const audited = await auditEvents(app().db, { actorId: owner.userId });
    expect(audited.map((e) => [e.action, e.detail])).toEqual([["api_key_created", { keyId: summary.id, name: "robot", scopes: ["search", "history"] }]]);
    expect(JSON.stringify(audited)).not.toContain(key);
    const viaKey = await authenticateApiKey(app().db, key);
    const keyPrincipal: Principal = { via: "key", userId: viaKey!.userId, role: viaKey!.role, keyId: viaKey!.keyId, scopes: viaKey!.scopes };
    await expect(as(keyPrincipal).apiKey.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(keyPrincipal).apiKey.revoke({ id: summary.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(keyPrincipal).apiKey.create({ name: "child", scopes: ["search"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(owner).apiKey.create({ name: "  ", scopes: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(owner).apiKey.create({ name: "x\u0000", scopes: ["search"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(owner).apiKey.create({ name: "dup", scopes: ["search", "search"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(owner).apiKey.revoke({ id: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("admin-only procedures refuse users (403) and anonymous calls (401)", async () => {
    const router = createTRPCRouter({ secret: adminProcedure.query(({ ctx }) => ctx.principal.userId) });
    const call = (principal: Principal | null) => createCallerFactory(router)(context({ principal }));
    const admin = await user("admin");
    expect(await call(admin).secret()).toBe(admin.userId);
    await expect(call(await user()).secret()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(call(null).secret()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
