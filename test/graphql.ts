import crypto from "node:crypto";
import { createApiKey } from "@/db/queries/api-keys";
import { sessionId } from "@/db/queries/sessions";
import { ensureUser } from "@/db/queries/users";
import { accountsAdapter, sessionTokenHash } from "@/server/auth/adapter";
import type { Principal } from "@/server/auth/principal";
import type { ApiKeyScope } from "@/server/core/api-keys";
import type { AppContext } from "@/server/context";
import { handleGraphQL } from "@/server/graphql/http";
import { createGraphQLServer } from "@/server/graphql/yoga";

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string; fields?: Record<string, string[]>; [key: string]: unknown } }[];
  headers: Headers;
}

export interface GraphQLCall {
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** GET sends the query in the URL (queries only). */
  method?: "GET" | "POST";
}

/**
 * A GraphQL client of the real server (Yoga, the schema, the route's handler) over one app
 * context, in process: what /api/graphql does, without a network.
 */
export function graphqlClient(ctx: () => AppContext) {
  const server = createGraphQLServer(async () => ctx());
  return async function gql<T = Record<string, unknown>>(query: string, call: GraphQLCall = {}): Promise<GraphQLAnswer<T>> {
    const variables = call.variables ?? {};
    const request =
      call.method === "GET"
        ? new Request(`http://localhost:3000/api/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, { headers: { accept: "application/graphql-response+json", ...call.headers } })
        : new Request("http://localhost:3000/api/graphql", {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...call.headers },
            body: JSON.stringify({ query, variables }),
          });
    const response = await handleGraphQL(server, request);
    const text = await response.text();
    const body = (text ? JSON.parse(text) : {}) as { data?: T | null; errors?: GraphQLAnswer["errors"] };
    return { status: response.status, data: body.data ?? null, errors: body.errors ?? [], headers: response.headers };
  };
}

let sequence = 0;

/** A user with a session (cookie and principal) who can make API keys straight in the database. */
export async function testPerson(ctx: AppContext, label = "person") {
  const user = await ensureUser(ctx.db, `${label}-${Date.now()}-${sequence++}@example.test`);
  const token = crypto.randomBytes(32).toString("hex");
  await accountsAdapter(ctx.db).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  const principal: Principal = { via: "session", userId: user.id, role: "user", sessionId: sessionId(sessionTokenHash(token)) };
  return {
    id: user.id,
    principal,
    cookie: `authjs.session-token=${token}`,
    key: async (...scopes: ApiKeyScope[]) => (await createApiKey(ctx.db, user.id, { name: scopes.join("+") || "none", scopes })).key,
  };
}
