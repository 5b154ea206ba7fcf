import { handleGetPreferences, handleUpdatePreferences } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleGetPreferences);
export const PATCH = withAppContext(handleUpdatePreferences);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
