import { handleListNotifications } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleListNotifications);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
