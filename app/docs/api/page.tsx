import type { Metadata } from "next";
import { openApiDocument } from "@/server/http/openapi";

export const metadata: Metadata = { title: "API reference" };

type Schema = {
  type?: string | string[];
  $ref?: string;
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
};

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  parameters?: { name: string; in: string; required: boolean; description?: string }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

function typeName(schema: Schema): string {
  if (schema.$ref) return schema.$ref.split("/").at(-1)!;
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeName).join(" | ");
  if (schema.type === "array" && schema.items) return `${typeName(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return `map of ${typeName(schema.additionalProperties)}`;
  }
  return schema.type ?? "object";
}

const methodColour = "rounded bg-emerald-100 px-2 py-0.5 font-mono text-sm font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100";
const cell = "border-b border-slate-200 px-3 py-2 align-top dark:border-slate-700";

export default function ApiReferencePage() {
  const document = openApiDocument();
  const schemas = document.components.schemas as Record<string, Schema>;
  const operations = Object.entries(document.paths as unknown as Record<string, Record<string, Operation>>).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
  );
  return (
    <div className="mx-auto max-w-5xl px-4 py-10">
      <h1 className="text-3xl font-bold tracking-tight">{document.info.title}</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Version {document.info.version}</p>
      {document.info.description.split("\n\n").map((paragraph) => (
        <p key={paragraph} className="mt-3 max-w-3xl text-slate-700 dark:text-slate-300">
          {paragraph}
        </p>
      ))}
      <p className="mt-3">
        Machine-readable:{" "}
        <a className="text-blue-700 underline dark:text-blue-300" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI 3.1).
      </p>

      <h2 className="mt-10 text-2xl font-semibold">Endpoints</h2>
      {operations.map(({ path, method, operation }) => (
          <section key={`${method} ${path}`} aria-labelledby={operation.operationId} className="mt-8 rounded-xl border border-slate-200 p-5 dark:border-slate-700">
            <h3 id={operation.operationId} className="flex flex-wrap items-center gap-3 text-lg font-semibold">
              <span className={methodColour}>{method.toUpperCase()}</span>
              <code className="font-mono">{path}</code>
              <span className="font-normal text-slate-600 dark:text-slate-400">{operation.summary}</span>
            </h3>
            <p className="mt-3 text-slate-700 dark:text-slate-300">{operation.description}</p>
            {operation.parameters?.length ? (
            <>
            <h4 className="mt-5 font-semibold">{operation.parameters.every((p) => p.in === "query") ? "Query parameters" : "Parameters"}</h4>
            <div className="mt-2 overflow-x-auto">
              <table className="w-full border-collapse text-left text-sm">
                <thead>
                  <tr>
                    <th scope="col" className={cell}>Name</th>
                    <th scope="col" className={cell}>Required</th>
                    <th scope="col" className={cell}>Description</th>
                  </tr>
                </thead>
                <tbody>
                  {operation.parameters.map((parameter) => (
                    <tr key={parameter.name}>
                      <td className={`${cell} font-mono`}>{parameter.name}</td>
                      <td className={cell}>{parameter.required ? "yes" : "no"}</td>
                      <td className={cell}>{parameter.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            </>
            ) : null}
            <h4 className="mt-5 font-semibold">Responses</h4>
            <ul className="mt-2 space-y-1 text-sm">
              {Object.entries(operation.responses).map(([status, response]) => {
                const ref = Object.values(response.content ?? {})[0]?.schema.$ref;
                return (
                  <li key={status}>
                    <span className="font-mono font-semibold">{status}</span> {response.description}
                    {ref ? (
                      <>
                        {" "}
                        <a className="text-blue-700 underline dark:text-blue-300" href={`#schema-${ref.split("/").at(-1)}`}>
                          {ref.split("/").at(-1)}
                        </a>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
      ))}

      <h2 className="mt-12 text-2xl font-semibold">Example</h2>
      <pre className="mt-3 overflow-x-auto rounded-lg bg-slate-900 p-4 text-sm text-slate-100">
        <code>{`curl 'http://localhost:3000/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=YYYY-MM-DD&cabins=economy&adults=1'`}</code>
      </pre>

      <h2 className="mt-12 text-2xl font-semibold">Schemas</h2>
      {Object.entries(schemas).map(([name, schema]) => (
        <section key={name} id={`schema-${name}`} aria-labelledby={`schema-title-${name}`} className="mt-6">
          <h3 id={`schema-title-${name}`} className="font-mono text-lg font-semibold">
            {name}
          </h3>
          {schema.description ? <p className="text-slate-700 dark:text-slate-300">{schema.description}</p> : null}
          <div className="mt-2 overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm">
              <thead>
                <tr>
                  <th scope="col" className={cell}>Field</th>
                  <th scope="col" className={cell}>Type</th>
                  <th scope="col" className={cell}>Description</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(schema.properties ?? {}).map(([field, property]) => (
                  <tr key={field}>
                    <td className={`${cell} font-mono`}>
                      {field}
                      {schema.required?.includes(field) ? "" : "?"}
                    </td>
                    <td className={`${cell} font-mono`}>{typeName(property)}</td>
                    <td className={cell}>{property.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
