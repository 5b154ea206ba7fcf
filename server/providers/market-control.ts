import type { Db } from "@/db/client";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import type { Money } from "@/server/core/money";
import type { Offer } from "@/server/core/offer";

/**
 * The simulated market's test control (SIMULATED_MARKET_CONTROL=true; never in production with
 * a database server): moves a route's simulated prices by a factor, so that a tracked route's
 * price can be made to fall and an alert watched end to end. Kept in the database, so every
 * process (web and workers) sees it; read at most every half second.
 */

export const MARKET_CONTROL_SETTING = "market.control";

export interface MarketAdjustment {
  /** Airports (a metro code expanded). */
  origins: string[];
  destinations: string[];
  /** 0.5 halves the prices; 1 restores them. */
  factor: number;
}

export const MARKET_CONTROL_CACHE_MS = 500;

export async function marketAdjustments(db: Db): Promise<MarketAdjustment[]> {
  const raw = await getSetting(db, MARKET_CONTROL_SETTING);
  return raw ? (JSON.parse(raw) as MarketAdjustment[]) : [];
}

/** Sets the factor of one route (both directions stay separate), replacing the one it had. */
export async function setMarketAdjustment(db: Db, adjustment: MarketAdjustment): Promise<MarketAdjustment[]> {
  const same = (a: MarketAdjustment) => a.origins.join() === adjustment.origins.join() && a.destinations.join() === adjustment.destinations.join();
  const next = [...(await marketAdjustments(db)).filter((a) => !same(a)), ...(adjustment.factor === 1 ? [] : [adjustment])];
  await putSetting(db, MARKET_CONTROL_SETTING, JSON.stringify(next));
  return next;
}

/** The factor for a search from these airports to those: the first adjustment that covers them, else 1. */
export function marketFactorSource(db: Db): (origins: string[], destinations: string[]) => Promise<number> {
  let cached: { at: number; adjustments: Promise<MarketAdjustment[]> } | null = null;
  return async (origins, destinations) => {
    if (!cached || Date.now() - cached.at > MARKET_CONTROL_CACHE_MS) cached = { at: Date.now(), adjustments: marketAdjustments(db).catch(() => []) };
    const found = (await cached.adjustments).find((a) => origins.some((o) => a.origins.includes(o)) && destinations.some((d) => a.destinations.includes(d)));
    return found?.factor ?? 1;
  };
}

const scale = (money: Money, factor: number): Money => ({ ...money, amountMinor: Math.max(1, Math.round(money.amountMinor * factor)) });

/** Offers with every price multiplied by `factor`. */
export function scaleOffers(offers: Offer[], factor: number): Offer[] {
  if (factor === 1) return offers;
  return offers.map((o) => ({
    ...o,
    price: scale(o.price, factor),
    pricePerAdult: scale(o.pricePerAdult, factor),
    sources: o.sources.map((s) => ({ ...s, price: scale(s.price, factor), pricePerAdult: scale(s.pricePerAdult, factor) })),
  }));
}
