import { expect, it } from "vitest";
import { namesFrom } from "@/server/core/places";
import { buildReference } from "@/server/core/reference";
import { makeOffer } from "@/test/offers";
import { schemaErrors } from "@/test/openapi";
import { seedSchemaErrors } from "@/test/seed-openapi";
import { flightDto } from "./flights-dto";

const names = namesFrom(buildReference([], []));

it("gives durations in ISO 8601 with the minutes beside, and leaves out a booking link the provider has not got", () => {
  const withLink = flightDto(makeOffer({ flightMinutes: 460 }), names);
  expect(withLink).toMatchObject({ duration: "PT7H40M", durationMinutes: 460, deepLink: "https://test-a.test/x" });
  const connection = flightDto(makeOffer({ carriers: ["BA", "AA"], flightMinutes: 300, layoverMinutes: 85 }), names);
  expect(connection).toMatchObject({ duration: "PT11H25M", durationMinutes: 685 });
  expect(connection.slices[0]!.layovers).toEqual([{ airport: { code: "DUB", name: "DUB" }, duration: "PT1H25M", durationMinutes: 85 }]);
  expect(connection.slices[0]!.segments[0]).toMatchObject({ duration: "PT5H", durationMinutes: 300 });
  // A Duffel offer is booked by its offer id: no link, and no null where the contract wants a string.
  const noLink = flightDto({ ...makeOffer(), deepLink: null }, names);
  expect("deepLink" in noLink).toBe(false);
  for (const dto of [withLink, connection, noLink]) {
    expect(schemaErrors("Flight", dto)).toEqual([]);
    expect(seedSchemaErrors("Flight", dto)).toEqual([]);
  }
});
