import { handleCreateChannel, handleListChannels } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleListChannels);
export const POST = withAppContext(handleCreateChannel);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
