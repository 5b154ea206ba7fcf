import { describe, expect, it } from "vitest";
import { addDays } from "./time";
import { definitionProblems, queriesOf, stateOf, trackedLow, trackRouteInput, type TrackedDefinition } from "./tracking";

const today = "2026-11-23";

const base: TrackedDefinition = {
  kind: "exact",
  origin: "LON",
  destination: "NYC",
  departureDate: "2027-01-10",
  returnDate: null,
  departFrom: null,
  departTo: null,
  nightsMin: null,
  nightsMax: null,
  cabin: "economy",
  adults: 2,
  children: 0,
  infants: 0,
  currency: "GBP",
  maxStops: null,
  airlines: null,
  flightNumbers: null,
};

describe("what a tracked route stands for", () => {
  it("an exact or itinerary route is its one search", () => {
    expect(queriesOf({ ...base, returnDate: "2027-01-17" }, today)).toEqual([
      { origin: "LON", destination: "NYC", departureDate: "2027-01-10", returnDate: "2027-01-17", cabin: "economy", adults: 2, children: 0, infants: 0, currency: "GBP" },
    ]);
  });

  it("a flexible route is every departure from today on times every stay, at most 60 evenly spaced", () => {
    const flexible = { ...base, kind: "flexible" as const, departureDate: null, departFrom: "2026-11-20", departTo: "2026-11-26", nightsMin: 5, nightsMax: 6 };
    const queries = queriesOf(flexible, today);
    // The 20th to the 22nd have passed: 4 departures x 2 stays.
    expect(queries.map((q) => `${q.departureDate}/${q.returnDate}`)).toEqual([
      "2026-11-23/2026-11-28",
      "2026-11-23/2026-11-29",
      "2026-11-24/2026-11-29",
      "2026-11-24/2026-11-30",
      "2026-11-25/2026-11-30",
      "2026-11-25/2026-12-01",
      "2026-11-26/2026-12-01",
      "2026-11-26/2026-12-02",
    ]);
    const month = queriesOf({ ...flexible, departFrom: "2027-03-01", departTo: "2027-03-31", nightsMin: 3, nightsMax: 9 }, today);
    expect(month).toHaveLength(60);
    expect(month[0]!.departureDate).toBe("2027-03-01");
    expect(month.at(-1)!.departureDate).toBe("2027-03-31");
    expect(queriesOf({ ...flexible, nightsMin: null, nightsMax: null }, today).every((q) => q.returnDate === null)).toBe(true);
  });

  it("is expired once its last departure has passed", () => {
    expect(stateOf({ ...base, status: "active" }, today)).toBe("active");
    expect(stateOf({ ...base, status: "paused" }, today)).toBe("paused");
    expect(stateOf({ ...base, departureDate: "2026-11-22", status: "active" }, today)).toBe("expired");
    expect(stateOf({ ...base, departureDate: null, departTo: "2026-11-23", status: "active" }, today)).toBe("active");
  });
});

describe("the price a route counts", () => {
  const offer = (priceMinor: number, stops: number, carriers: string[], flightNumbers: string[]) => ({ priceMinor, stops, carriers, flightNumbers });
  const offers = [offer(500, 2, ["BA", "AA"], ["BA 1", "AA 2", "AA 3", "BA 4"]), offer(700, 0, ["BA"], ["BA 117", "BA 112"]), offer(650, 1, ["VS"], ["VS 3", "VS 4", "VS 9"])];
  const none = { maxStops: null, airlines: null, flightNumbers: null };

  it("is the lowest of all offers without filters", () => {
    expect(trackedLow(none, offers, 2)?.priceMinor).toBe(500);
    expect(trackedLow(none, [], 1)).toBeNull();
  });

  it("allows the stops per direction, keeps to the airlines, or follows one itinerary's flights", () => {
    expect(trackedLow({ ...none, maxStops: 0 }, offers, 2)?.priceMinor).toBe(700);
    // One stop each way allows two in all on a round trip, but one on a one-way trip.
    expect(trackedLow({ ...none, maxStops: 1 }, offers, 2)?.priceMinor).toBe(500);
    expect(trackedLow({ ...none, maxStops: 1 }, offers, 1)?.priceMinor).toBe(650);
    expect(trackedLow({ ...none, airlines: ["BA", "VS"] }, offers, 2)?.priceMinor).toBe(650);
    expect(trackedLow({ ...none, flightNumbers: ["BA117", "BA 112"] }, offers, 2)?.priceMinor).toBe(700);
    expect(trackedLow({ ...none, flightNumbers: ["BA 117"] }, offers, 2)).toBeNull();
  });
});

describe("the input", () => {
  it("normalises codes and flight numbers, and reports every problem by field", () => {
    const parsed = trackRouteInput.parse({ kind: "itinerary", originCode: "lhr", destinationCode: "jfk", departureDate: addDays(new Date().toISOString().slice(0, 10), 30), flightNumbers: ["ba117", "BA 112"] });
    expect(parsed).toMatchObject({ originCode: "LHR", destinationCode: "JFK", flightNumbers: ["BA 117", "BA 112"], cabin: "economy", adults: 1 });
    expect(definitionProblems({ kind: "flexible", departFrom: "2027-01-10", departTo: "2027-01-05", departureDate: "2027-01-07", nights: { min: 5, max: 3 } }, today)).toEqual([
      ["departureDate", "is not used by a flexible route (use departFrom and departTo)"],
      ["departTo", "must not be before departFrom"],
      ["nights", "min must not be more than max"],
    ]);
    expect(definitionProblems({ kind: "exact", departureDate: "2028-01-01", departFrom: "2027-01-01", adults: 1, infants: 2 }, today)).toEqual([
      ["departFrom", "is only for a flexible route"],
      ["departureDate", "must be within 365 days from today"],
      ["infants", "must not be more than adults (one lap infant per adult)"],
    ]);
  });
});
