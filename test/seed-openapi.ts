import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

/**
 * The seed contract's OpenAPI 3.0 document (test/seed-contract/openapi.yaml), for holding live
 * answers to its shapes. Its schemas are JSON Schema draft 4/7 with OpenAPI's extras; `double`
 * is the only format ajv-formats does not know (any number).
 */
export const SEED_CONTRACT_DIR = path.join(import.meta.dirname, "seed-contract");
const document = parse(fs.readFileSync(path.join(SEED_CONTRACT_DIR, "openapi.yaml"), "utf8")) as { components: { schemas: Record<string, unknown> } };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("double", { type: "number", validate: () => true });
ajv.addSchema({ $id: "seed", components: document.components });

/** Validates a value against a component schema of the seed contract; returns the errors. */
export function seedSchemaErrors(component: string, value: unknown): string[] {
  const validate = ajv.getSchema(`seed#/components/schemas/${component}`);
  if (!validate) throw new Error(`The seed contract has no schema ${component}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}
