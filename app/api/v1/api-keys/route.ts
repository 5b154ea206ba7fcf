import { handleCreateApiKey, handleListApiKeys } from "@/server/http/api-keys-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(handleListApiKeys);
export const POST = withAppContext(handleCreateApiKey);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
