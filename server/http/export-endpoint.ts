import { z } from "zod";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { CABINS } from "@/server/core/offer";
import { resolveRoute } from "@/server/core/route-query";
import { parseRouteSlug } from "@/server/core/routes";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import type { AppContext } from "@/server/context";
import { log } from "@/server/log";
import { snapshotCsv } from "@/server/services/routes/export-snapshots";
import { singleParams } from "./params";
import { problemFor, validationProblem } from "./problem";

export interface ExportEndpointDeps extends Pick<AppContext, "db" | "reference"> {
  /** CSV_EXPORT_MAX_ROWS: the most rows one export may hold. */
  maxRows: number;
}

export function exportEndpointDeps(ctx: AppContext): ExportEndpointDeps {
  return { db: ctx.db, reference: ctx.reference, maxRows: ctx.config.csvExportMaxRows };
}

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

function exportParams(maxRows: number) {
  return z
    .object({
      days: whole(1, 366).default(180),
      limit: whole(1, maxRows).optional(),
      cabin: z.enum(CABINS, { error: `must be one of ${CABINS.join(", ")}` }).optional(),
      currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]], { error: "must be a supported ISO 4217 currency code" }).optional(),
      departureDate: z.iso.date("must be a date as YYYY-MM-DD").optional(),
    });
}

/**
 * GET /routes/{ORIGIN-DESTINATION}/snapshots.csv: the raw snapshots of a route, streamed. The
 * row limit defaults to CSV_EXPORT_MAX_ROWS; `limit` may lower it, never raise it.
 */
export async function handleSnapshotExport(request: Request, slug: string, deps: ExportEndpointDeps): Promise<Response> {
  try {
    const [originCode, destinationCode] = parseRouteSlug(slug);
    const schema = exportParams(deps.maxRows);
    const { values: raw, errors } = singleParams(new URL(request.url).searchParams, Object.keys(schema.shape), "is not a parameter of this export");
    const parsed = schema.safeParse(raw);
    if (!parsed.success) Object.assign(errors, fieldErrorsFromZod(parsed.error));
    if (Object.keys(errors).length || !parsed.success) return validationProblem(errors);
    const route = resolveRoute(deps.reference, originCode, destinationCode);
    const options = parsed.data;
    const lines = snapshotCsv(
      deps.db,
      { origins: route.origins, destinations: route.destinations, days: options.days, cabin: options.cabin, currency: options.currency, departureDate: options.departureDate },
      { maxRows: options.limit ?? deps.maxRows },
    );
    const encoder = new TextEncoder();
    // Pulled, not pushed: the next batch is read only when the client has taken the last.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await lines.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          log.error("snapshot export failed mid-stream", { err: error });
          controller.error(error);
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${route.origin.code}-${route.destination.code}-snapshots-${stamp}.csv"`,
        "Cache-Control": "no-store",
        "X-Row-Limit": String(options.limit ?? deps.maxRows),
      },
    });
  } catch (error) {
    return problemFor(error, "snapshot export");
  }
}
