import { builder } from "./builder";
import "./types/flights";
import "./types/routes";
import "./types/tracking";

/** The GraphQL schema: the contract's `flights` connection and what the product adds (server/graphql/schema.graphql, printed). */
export const schema = builder.toSchema({ sortSchema: true });
