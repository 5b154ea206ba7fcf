import fs from "node:fs";
import path from "node:path";
import { buildSchema, isEnumType, isInputObjectType, isObjectType, printSchema, type GraphQLNamedType } from "graphql";
import { expect, it } from "vitest";
import { SEED_CONTRACT_DIR } from "@/test/seed-openapi";
import { schema } from "./schema";

it("is the committed schema.graphql (npm run graphql:schema prints it after a change)", () => {
  const committed = fs.readFileSync(path.join(import.meta.dirname, "schema.graphql"), "utf8");
  expect(`${printSchema(schema)}\n`).toBe(committed);
});

/** A type's fields, their types and arguments (with defaults), as text to compare. */
function shape(type: GraphQLNamedType): Record<string, string> {
  if (isEnumType(type)) return Object.fromEntries(type.getValues().map((v) => [v.name, "enum value"]));
  if (!isObjectType(type) && !isInputObjectType(type)) return {};
  const fields: Record<string, string> = {};
  for (const field of Object.values(type.getFields())) {
    fields[field.name] = String(field.type);
    for (const arg of "args" in field ? field.args : []) {
      fields[`${field.name}(${arg.name})`] = `${String(arg.type)}${arg.defaultValue === undefined ? "" : ` = ${JSON.stringify(arg.defaultValue)}`}`;
    }
  }
  return fields;
}

it("answers in the contract's shapes: every type, field, argument and enum value of the seed schema, with the same types", () => {
  const contract = buildSchema(fs.readFileSync(path.join(SEED_CONTRACT_DIR, "schema.graphql"), "utf8"));
  const named = Object.values(contract.getTypeMap()).filter((type) => !type.name.startsWith("__"));
  expect(named.length).toBeGreaterThan(10);
  for (const type of named) {
    const ours = schema.getType(type.name);
    expect(ours, type.name).toBeDefined();
    expect(ours!.constructor.name, type.name).toBe(type.constructor.name);
    const theirs = shape(type);
    const mine = shape(ours!);
    for (const [field, description] of Object.entries(theirs)) {
      // Arguments may only add to the contract; the contract's defaults hold (cabins has none: economy is the service's default).
      expect(mine[field], `${type.name}.${field}`).toBe(description);
    }
  }
});
