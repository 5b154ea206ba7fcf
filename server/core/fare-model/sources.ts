import type { SimulatedSource } from "./quote";

/**
 * The simulated market's sellers. They share part of their inventory at different prices, so
 * that merging across providers is exercised: Skyway sells every itinerary close to the market
 * fare, FareFinder about 70% of them, sometimes cheaper and sometimes dearer.
 */
export const SIMULATED_SOURCES: SimulatedSource[] = [
  { id: "skyway", name: "Skyway (simulated)", domain: "skyway.example.com", coverage: 1, margin: [0.99, 1.03] },
  { id: "farefinder", name: "FareFinder (simulated)", domain: "farefinder.example.com", coverage: 0.7, margin: [0.95, 1.06] },
];
