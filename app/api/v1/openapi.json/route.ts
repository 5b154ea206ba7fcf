import { otherMethods } from "@/server/http/methods";
import { openApiDocument } from "@/server/http/openapi";

export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument());
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
