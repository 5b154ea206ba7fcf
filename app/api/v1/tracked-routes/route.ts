import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";
import { handleCreateTracked, handleListTracked } from "@/server/http/tracked-routes-endpoint";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleListTracked);
export const POST = withAppContext(handleCreateTracked);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
