export { routeOptions, schedule } from "./inventory";
export { quote, type QuoteRequest, type SimulatedSource } from "./quote";
export { SIMULATED_SOURCES } from "./sources";
