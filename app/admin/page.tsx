import { OverviewLive } from "@/components/admin/overview-live";
import { getAppContext } from "@/server/context";
import { adminOverview } from "@/server/services/admin/overview";
import { requireAdmin } from "./access";

export const metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/** The console's overview: rendered with the figures of the moment, then kept current by the browser. */
export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  const overview = await adminOverview(await getAppContext());
  return <OverviewLive initial={overview} />;
}
