import { expect, it } from "vitest";
import { parseCsv } from "@/test/csv";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { describeEachEngine } from "@/test/engines";
import { recordSearch } from "@/db/queries/snapshots";
import { CSV_COLUMNS, csvCell, snapshotCsv } from "@/server/services/routes/export-snapshots";
import { handleSnapshotExport } from "./export-endpoint";

const DAY = 86_400_000;

it("quotes cells that need it and defuses formulas", () => {
  expect(csvCell("plain")).toBe("plain");
  expect(csvCell('a,"b"')).toBe('"a,""b"""');
  expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
  expect(csvCell(null)).toBe("");
  expect(csvCell(-3)).toBe("-3");
});

describeEachEngine(
  "snapshot CSV export",
  ({ database, reference }) => {
    const db = () => database().db;
    const deps = (maxRows = 100_000) => ({ db: db(), reference: reference(), maxRows });

    it("streams every snapshot once, in order, across batches, up to the row limit", async () => {
      const query = uniqueQuery({ origin: "OPO", destination: "FNC", currency: "EUR" });
      for (let back = 3; back >= 1; back--) {
        await recordSearch(db(), query, new Date(Date.now() - back * DAY), makeOffers(query, 3, (i) => 5_000 + i * 1_234 + back));
      }
      const all: string[] = [];
      for await (const chunk of snapshotCsv(db(), { origins: ["OPO"], destinations: ["FNC"], days: 30 }, { maxRows: 1_000, batchSize: 2 })) all.push(chunk);
      const rows = parseCsv(all.join(""));
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(1 + 9);
      const observed = rows.slice(1).map((r) => r[0]!);
      expect(observed).toEqual([...observed].sort());
      expect(new Set(rows.slice(1).map((r) => r.join("|"))).size).toBe(9);
      expect(rows[1]).toMatchObject({ 1: "test-a", 2: "false", 3: "OPO", 4: "FNC", 6: "", 7: "economy", 16: "EUR" });
      expect(rows[1]![14]).toMatch(/^\d+\.\d{2}$/);

      const limited: string[] = [];
      for await (const chunk of snapshotCsv(db(), { origins: ["OPO"], destinations: ["FNC"], days: 30 }, { maxRows: 4, batchSize: 3 })) limited.push(chunk);
      expect(parseCsv(limited.join(""))).toHaveLength(1 + 4);
    });

    it("answers a download with headers and a streamed body, honouring limit", async () => {
      const query = uniqueQuery({ origin: "DUB", destination: "EDI", currency: "EUR" });
      await recordSearch(db(), query, new Date(), makeOffers(query, 5, (i) => 7_000 + i));
      const response = await handleSnapshotExport(new Request("http://x/routes/DUB-EDI/snapshots.csv?days=7&limit=3&cabin=economy"), "DUB-EDI", deps());
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="DUB-EDI-snapshots-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(response.body).toBeInstanceOf(ReadableStream);
      expect(parseCsv(await response.text())).toHaveLength(1 + 3);
      // The configured maximum is the default and the ceiling.
      const capped = await handleSnapshotExport(new Request("http://x/routes/DUB-EDI/snapshots.csv"), "DUB-EDI", deps(2));
      expect(parseCsv(await capped.text())).toHaveLength(1 + 2);
    });

    it("refuses bad parameters with a message per field, and unknown routes", async () => {
      const bad = await handleSnapshotExport(
        new Request("http://x/routes/DUB-EDI/snapshots.csv?days=0&cabin=deck&limit=500&currency=XXX&departureDate=2027-02-30&foo=1"),
        "DUB-EDI",
        deps(100),
      );
      expect(bad.status).toBe(400);
      const problem = (await bad.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(problem.errors).sort()).toEqual(["cabin", "currency", "days", "departureDate", "foo", "limit"]);
      expect(problem.errors.limit).toEqual(["must be at most 100"]);
      const twice = await handleSnapshotExport(new Request("http://x/r?days=1&days=2"), "DUB-EDI", deps());
      expect(((await twice.json()) as { errors: Record<string, string[]> }).errors.days).toEqual(["must be given once"]);
      const nul = await handleSnapshotExport(new Request("http://x/r?cabin=economy%00"), "DUB-EDI", deps());
      expect(nul.status).toBe(400);
      expect(((await nul.json()) as { errors: Record<string, string[]> }).errors.cabin).toEqual(["must not contain control characters"]);
      expect((await handleSnapshotExport(new Request("http://x/r"), "DUBEDI", deps())).status).toBe(404);
      const unknown = await handleSnapshotExport(new Request("http://x/r"), "QQQ-EDI", deps());
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { errors: Record<string, string[]> }).errors.origin).toBeDefined();
    });
  },
  { seed: true },
);
