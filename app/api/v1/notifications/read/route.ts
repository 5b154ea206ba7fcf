import { handleMarkRead } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const POST = withAppContext(handleMarkRead);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
