/**
 * `npm run market:report`: the simulated market measured against three published facts
 * (server/core/fare-model/calibration.ts), on the calibration sample. The README's calibration
 * section quotes what this prints. Options: --curve (print the booking curve by lead day).
 */
import { buildReferenceData } from "@/db/seed/reference-data";
import { buildReference } from "@/server/core/reference";
import { bookingWindow, CALIBRATION_SAMPLE, domesticConnections, nonstopPremium, weekdayEffect } from "@/server/core/fare-model/calibration";

const pct = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}%`;

async function main() {
  const started = performance.now();
  const data = await buildReferenceData();
  const market = buildReference(data.airports, data.airlines, data.metros);
  const sample = CALIBRATION_SAMPLE;

  const premium = nonstopPremium(market, sample.mixedRoutes, sample.dates);
  console.log(`1. Cheapest nonstop against cheapest connection (published: about +25% on average)`);
  console.log(`   ${premium.compared} of ${premium.sampled} route-dates have both; mean ${pct(premium.meanPct)}, median ${pct(premium.medianPct)}; the nonstop is the cheaper on ${(premium.nonstopCheaperShare * 100).toFixed(0)}%`);
  console.log(`   per route: ${premium.perRoute.map((r) => `${r.route} ${pct(r.pct)}`).join(", ")}`);

  const window = bookingWindow(market, sample.domesticRoutes, sample.dates);
  console.log(`\n2. Domestic fares by days before departure (published: cheapest about 38 days out, within 21-52)`);
  console.log(`   ${window.samples} route-dates, each searched daily from 120 days out: the average price is lowest ${window.cheapestLeadOfMean} days out; each sample's cheapest day: median ${window.medianCheapestLead} days out, ${(window.shareWithin21To52 * 100).toFixed(0)}% within 21-52 days`);
  const at = (lead: number) => window.indexByLead[lead - 1]!.index.toFixed(3);
  console.log(`   price index by lead: 1 day ${at(1)}, 7 ${at(7)}, 14 ${at(14)}, 21 ${at(21)}, 38 ${at(38)}, 52 ${at(52)}, 90 ${at(90)}, 120 ${at(120)}`);
  if (process.argv.includes("--curve")) for (const point of window.indexByLead) console.log(`   ${point.lead}\t${point.index.toFixed(4)}`);

  const week = weekdayEffect(market, [...sample.mixedRoutes, ...sample.domesticRoutes], sample.firstSunday, sample.weeks);
  console.log(`\n3. Monday-Wednesday departures against Thursday-Sunday (published: about 13% cheaper)`);
  console.log(`   ${week.weeks} route-weeks, each date searched 40 days ahead: ${pct(week.midweekPct)}`);
  console.log(`   price index Sun..Sat: ${week.indexByWeekday.map((v) => v.toFixed(3)).join(" ")}`);

  const domestic = domesticConnections(market, sample.domesticRoutes, sample.dates);
  console.log(`\nDomestic connections through a hub abroad: ${domestic.viaForeignHub} of ${domestic.connections}${domestic.foreignHubs.length ? ` (${domestic.foreignHubs.slice(0, 8).join(", ")})` : ""}`);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
