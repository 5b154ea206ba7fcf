import { otherMethods } from "@/server/http/methods";
import { authRoutes } from "@/server/auth";

export const dynamic = "force-dynamic";

/** Sign-in, sign-out, the session and the providers' callbacks (Auth.js). */
export const { GET, POST } = authRoutes;

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
