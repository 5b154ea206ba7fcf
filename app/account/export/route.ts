import type { Route } from "next";
import { redirect } from "next/navigation";
import { sessionPrincipal } from "@/server/auth/principal";
import { signInHref } from "@/server/core/links";
import { withAppContext } from "@/server/http/route";
import { exportAccount } from "@/server/services/accounts/account";

/**
 * "Export my data": everything the signed-in account holds, as a JSON download. A session
 * only (the account page's link); anonymous goes to sign in and comes back here.
 */
export const GET = withAppContext(async (request, ctx) => {
  const principal = await sessionPrincipal(ctx.db, request.headers.get("cookie"), ctx.clock());
  if (!principal) redirect(signInHref("/account") as Route);
  const data = await exportAccount(ctx, principal.userId);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="flight-tracker-account-${data.exportedAt.slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
});
