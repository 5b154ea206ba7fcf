import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { MaintenanceBanner } from "@/components/admin/maintenance-banner";
import { SchedulerPauseWatch } from "@/components/admin/scheduler-controls";
import { currentViewer } from "@/server/auth/viewer";
import { getAppContext } from "@/server/context";
import { schedulerPause } from "@/server/services/admin/overview";
import { adminNames } from "./names";

export const metadata: Metadata = { title: { template: "%s · Admin · Flight Tracker", default: "Admin · Flight Tracker" } };

/**
 * The admin console's frame: its sections and, while the scheduler is paused, the maintenance
 * banner. A signed-in user gets the 403 page. An anonymous visitor is sent to sign in by the page
 * itself (requireAdmin), which knows where to come back to; the frame shows them nothing.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  if (!viewer) return children;
  if (viewer.role !== "admin") forbidden();
  const ctx = await getAppContext();
  const pause = await schedulerPause(ctx);
  const names = await adminNames(ctx, [pause?.pausedBy], viewer.id);
  return (
    <div className="mx-auto max-w-6xl px-4 py-4 sm:py-6">
      <AdminNav />
      {pause ? <MaintenanceBanner pause={pause} by={pause.pausedBy ? names.of(pause.pausedBy) : null} /> : null}
      <SchedulerPauseWatch pause={pause} />
      <div className="pt-6">{children}</div>
    </div>
  );
}
