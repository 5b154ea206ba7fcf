/**
 * `npm run graphql:schema`: prints the GraphQL schema into server/graphql/schema.graphql (committed;
 * server/graphql/schema.test.ts fails when the code and the file drift apart).
 */
import fs from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { schema } from "@/server/graphql/schema";

const file = path.resolve(import.meta.dirname, "..", "server", "graphql", "schema.graphql");
fs.writeFileSync(file, `${printSchema(schema)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
