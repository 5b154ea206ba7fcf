import type { QuoteRequest } from "@/server/core/fare-model";
import type { Offer } from "@/server/core/offer";
import type { ProviderReport } from "@/server/core/provider-report";

/** A search as a provider receives it: one cabin, codes as searched and as airports. */
export interface ProviderQuery extends QuoteRequest {
  /** As the traveller typed them: an airport or a metro code. */
  originCode: string;
  destinationCode: string;
}

export interface ProviderCallContext {
  /** Aborted when the call's deadline passes or the search is abandoned. */
  signal: AbortSignal;
  /** Epoch milliseconds by which the call must have answered. */
  deadline: number;
  /** The observation time of the search. */
  now: Date;
}

/** A source of prices. Offers come back in the query's currency, or are converted by the caller. */
export interface FlightProvider {
  id: string;
  name: string;
  simulated: boolean;
  search(query: ProviderQuery, context: ProviderCallContext): Promise<Offer[]>;
}

export class ProviderError extends Error {
  readonly transient: boolean;
  readonly retryAfterMs: number | null;
  readonly status: number | null;

  constructor(
    message: string,
    options: { transient: boolean; retryAfterMs?: number | null; status?: number | null; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.transient = options.transient;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.status = options.status ?? null;
  }
}

/** The call ran out of time (its own deadline or the search's). */
export class ProviderTimeoutError extends Error {
  constructor(message = "The provider did not answer in time") {
    super(message);
    this.name = "ProviderTimeoutError";
  }
}

/** A provider's answer to one call of a search: its report and the offers it found. */
export interface ProviderResult extends ProviderReport {
  offers: Offer[];
}

/** Sleeps, waking early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
