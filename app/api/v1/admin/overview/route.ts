import { handleAdminOverview } from "@/server/http/admin-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleAdminOverview);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
