import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { openApiDocument } from "@/server/http/openapi";

export const dynamic = "force-static";

export const GET = withRequestScope(() => Response.json(openApiDocument()));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
