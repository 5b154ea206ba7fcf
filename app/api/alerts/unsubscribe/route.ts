import { otherMethods } from "@/server/http/methods";
import { problemFor } from "@/server/http/problem";
import { withAppContext } from "@/server/http/route";
import { withRequestScope } from "@/server/http/scope";
import { unsubscribeRoute } from "@/server/services/alerts/alerts";

export const dynamic = "force-dynamic";

/** The page that asks before unsubscribing (GET must change nothing: mail scanners follow links). */
const CONFIRM_PAGE = "/alerts/unsubscribe";

/** The largest body worth reading: RFC 8058's is "List-Unsubscribe=One-Click", the page's one field. */
const MAX_BODY_BYTES = 4_096;

function tokenOf(request: Request): string {
  return new URL(request.url).searchParams.get("token") ?? "";
}

function seeOther(location: string): Response {
  // A relative Location: the app may be behind a proxy that knows its public address better.
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The form fields of a small urlencoded or multipart body; none for anything else. */
async function formOf(request: Request): Promise<FormData | null> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return null;
  return request.formData().catch(() => null);
}

/**
 * The unsubscribe link of an alert email (`List-Unsubscribe`). The signed token in the query is
 * the authority: no session, no cookie, and no cross-site check (mail providers post from
 * their own servers, with no Origin). GET (a person's click, or a scanner's) only shows the
 * confirmation page; POST unsubscribes: RFC 8058's one-click POST
 * (`List-Unsubscribe=One-Click`) gets a 200 at once, with no redirect, and the confirmation
 * page's form is sent back to that page.
 */
export const GET = withRequestScope(async (request: Request) => seeOther(`${CONFIRM_PAGE}?${new URLSearchParams({ token: tokenOf(request) }).toString()}`));

export const POST = withAppContext(async (request, ctx) => {
  const token = tokenOf(request);
  const form = await formOf(request);
  try {
    const done = await unsubscribeRoute(ctx, token);
    if (form?.get("from") === "page") {
      return seeOther(`${CONFIRM_PAGE}?${new URLSearchParams({ token, ...(done ? { done: "1" } : {}) }).toString()}`);
    }
    if (!done) return text(400, "This unsubscribe link is not valid, or its route is no longer tracked.");
    return text(200, `Unsubscribed: no more emails about ${done.origin} → ${done.destination}.`);
  } catch (error) {
    return problemFor(error, "unsubscribe");
  }
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
