import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import { airline, airport, metroArea, placeSearchTerm } from "@/db/schema";
import { buildReferenceData, REFERENCE_DATA_VERSION, type ReferenceData } from "./reference-data";

export const REFERENCE_VERSION_KEY = "reference_data_version";

export interface ReferenceCounts {
  airports: number;
  airlines: number;
  metros: number;
  searchTerms: number;
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `SET col = excluded.col` for every listed column, and a WHERE that is true only on a real change. */
function upsertSet(table: PgTable, keys: string[]) {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const tableName = getTableName(table);
  const set: Record<string, SQL> = {};
  const changed: SQL[] = [];
  for (const key of keys) {
    const name = columns[key]!.name;
    set[key] = sql.raw(`excluded."${name}"`);
    changed.push(sql.raw(`"${tableName}"."${name}" IS DISTINCT FROM excluded."${name}"`));
  }
  return { set, setWhere: sql.join(changed, sql` OR `) };
}

/**
 * Writes the reference data in one transaction. Idempotent: rows are upserted and touched only
 * when a value changed (so `updated_at` moves only then); the derived search index is rebuilt
 * whole. Airports and airlines that leave the data are kept, as other rows may refer to them.
 */
export async function loadReferenceData(db: Db, data?: ReferenceData): Promise<ReferenceCounts> {
  const reference = data ?? (await buildReferenceData());
  await db.transaction(async (tx) => {
    const metroUpsert = upsertSet(metroArea, ["name", "countryCode", "countryName"]);
    for (const batch of chunks(reference.metros, 500)) {
      await tx.insert(metroArea).values(batch).onConflictDoUpdate({ target: metroArea.code, ...metroUpsert });
    }
    const airportKeys = ["icaoCode", "name", "city", "countryCode", "countryName", "latitude", "longitude", "timeZone", "type", "sizeRank", "longestRunwayFt", "metroCode"];
    const airportUpsert = upsertSet(airport, airportKeys);
    for (const batch of chunks(reference.airports, 500)) {
      await tx
        .insert(airport)
        .values(batch)
        .onConflictDoUpdate({ target: airport.code, set: { ...airportUpsert.set, updatedAt: sql`now()` }, setWhere: airportUpsert.setWhere });
    }
    const airlineUpsert = upsertSet(airline, ["icaoCode", "name", "callsign", "countryCode", "countryName"]);
    for (const batch of chunks(reference.airlines, 500)) {
      await tx
        .insert(airline)
        .values(batch)
        .onConflictDoUpdate({ target: airline.code, set: { ...airlineUpsert.set, updatedAt: sql`now()` }, setWhere: airlineUpsert.setWhere });
    }
    await tx.delete(placeSearchTerm);
    for (const batch of chunks(reference.searchTerms, 2000)) {
      await tx.insert(placeSearchTerm).values(batch);
    }
    await putSetting(tx, REFERENCE_VERSION_KEY, REFERENCE_DATA_VERSION);
  });
  // Fresh statistics, so the planner picks the search-term index from the first query on.
  await db.execute(sql`ANALYZE place_search_term, airport, airline, metro_area`);
  return {
    airports: reference.airports.length,
    airlines: reference.airlines.length,
    metros: reference.metros.length,
    searchTerms: reference.searchTerms.length,
  };
}

/** True when this database holds the reference data this build of the app ships. */
export async function referenceDataIsCurrent(db: Db): Promise<boolean> {
  return (await getSetting(db, REFERENCE_VERSION_KEY)) === REFERENCE_DATA_VERSION;
}
