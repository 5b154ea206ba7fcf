import { noSuchEndpoint } from "@/server/http/methods";

// Paths under /api/ that no route serves answer JSON problem details, whatever the method.
export const dynamic = "force-dynamic";
export { noSuchEndpoint as GET, noSuchEndpoint as POST, noSuchEndpoint as PUT, noSuchEndpoint as PATCH, noSuchEndpoint as DELETE, noSuchEndpoint as OPTIONS };
