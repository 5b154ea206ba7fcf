export { buildMarket, type AirlineRowLike, type AirportRowLike } from "./market";
export { routeOptions, schedule, type Market, type MarketAirline, type MarketAirport } from "./inventory";
export { quote, type QuoteRequest, type SimulatedSource } from "./quote";
export { SIMULATED_SOURCES } from "./sources";
