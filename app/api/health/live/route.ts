import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { liveness } from "@/server/services/health/liveness";

export const dynamic = "force-dynamic";

/** Liveness (a container's health check): the process answers. No I/O at all. */
export const GET = withRequestScope(() => Response.json(liveness(), { headers: { "Cache-Control": "no-store" } }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
