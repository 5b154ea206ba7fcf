import { ProvidersLive } from "@/components/admin/providers-live";
import { getAppContext } from "@/server/context";
import { providerHealth } from "@/server/services/admin/providers";
import { requireAdmin } from "../access";
import { adminNames } from "../names";

export const metadata = { title: "Providers" };
export const dynamic = "force-dynamic";

/** Provider health and pause controls: rendered with the figures of the moment, kept current by the browser. */
export default async function ProvidersPage() {
  const viewer = await requireAdmin("/admin/providers");
  const ctx = await getAppContext();
  const providers = await providerHealth(ctx);
  const names = await adminNames(
    ctx,
    providers.map((p) => p.paused?.pausedBy),
    viewer.id,
  );
  return (
    <ProvidersLive
      initial={providers}
      names={names.known}
      renderedAt={ctx.clock().toISOString()}
      viewer={{ id: viewer.id, label: viewer.email ?? viewer.name ?? "you" }}
    />
  );
}
