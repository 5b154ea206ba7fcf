import { SpanStatusCode } from "@opentelemetry/api";
import type { Offer } from "@/server/core/offer";
import { observeProviderCall } from "@/server/observability/providers";
import { withSpan } from "@/server/observability/tracing";
import {
  ProviderError,
  ProviderTimeoutError,
  sleep,
  type FlightProvider,
  type ProviderCallContext,
  type ProviderQuery,
  type ProviderResult,
} from "./types";

export interface ResilienceOptions {
  /** Longest single call; the search's overall deadline also applies. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (never after a timeout or a client error). */
  retries: number;
  /** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^attempt)]. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive failed searches that open the circuit, and how long it stays open. */
  failureThreshold: number;
  openMs: number;
  /** Calls in flight at once; more wait for a slot (within their deadline). */
  concurrency: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 6_000,
  retries: 2,
  backoffBaseMs: 100,
  backoffMaxMs: 1_000,
  failureThreshold: 5,
  openMs: 30_000,
  concurrency: 16,
};

export type BreakerState = "closed" | "open" | "half_open";

/**
 * Wraps a provider so that it can never fail or stall a search: a deadline per call inside the
 * search's budget, retries with jittered backoff for transient errors only, a circuit breaker
 * (open after repeated failures; after `openMs` one probe call decides whether to close it),
 * and a limit on concurrent calls. `search` never throws: it reports an outcome.
 */
export class ResilientProvider {
  private state: BreakerState = "closed";
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly provider: FlightProvider,
    readonly options: ResilienceOptions = DEFAULT_RESILIENCE,
    private readonly clock: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  get id() {
    return this.provider.id;
  }

  breakerState(): BreakerState {
    if (this.state === "open" && this.clock() - this.openedAt >= this.options.openMs) return "half_open";
    return this.state;
  }

  /** What a search reports of this provider while an admin has paused it: not called. */
  paused(): ProviderResult {
    return { provider: this.provider.id, name: this.provider.name, simulated: this.provider.simulated, status: "paused", latencyMs: 0, offerCount: 0, error: "Paused by an administrator", attempts: 0, offers: [] };
  }

  /** One call, traced (`provider.search`) and counted by outcome in the metrics. */
  search(query: ProviderQuery, context: ProviderCallContext): Promise<ProviderResult> {
    return withSpan("provider.search", { "provider.id": this.provider.id, "provider.cabin": query.cabin }, async (span) => {
      const result = await this.call(query, context);
      span.setAttributes({ "provider.status": result.status, "provider.offers": result.offerCount, "provider.latency_ms": result.latencyMs, "provider.attempts": result.attempts });
      if (result.status !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? result.status });
      observeProviderCall(result);
      return result;
    });
  }

  private async call(query: ProviderQuery, context: ProviderCallContext): Promise<ProviderResult> {
    const started = this.clock();
    const outcome = (status: ProviderResult["status"], offers: Offer[], attempts: number, error: string | null): ProviderResult => ({
      provider: this.provider.id,
      name: this.provider.name,
      simulated: this.provider.simulated,
      status,
      latencyMs: Math.round(this.clock() - started),
      offerCount: offers.length,
      error,
      attempts,
      offers,
    });

    const breaker = this.breakerState();
    if (breaker === "open" || (breaker === "half_open" && this.probing)) {
      return outcome("circuit_open", [], 0, "Temporarily skipped after repeated failures");
    }
    const probe = breaker === "half_open";
    if (probe) this.probing = true;

    const deadline = Math.min(context.deadline, started + this.options.timeoutMs);
    let attempts = 0;
    try {
      await this.acquire(deadline, context.signal);
      try {
        for (;;) {
          attempts++;
          try {
            const offers = await this.attempt(query, { ...context, deadline });
            this.recordSuccess();
            return outcome("ok", offers, attempts, null);
          } catch (error) {
            const retryable = error instanceof ProviderError && error.transient && attempts <= this.options.retries;
            const wait = retryable ? this.backoff(attempts, error) : 0;
            if (!retryable || this.clock() + wait >= deadline) throw error;
            await sleep(wait, context.signal);
          }
        }
      } finally {
        this.release();
      }
    } catch (error) {
      this.recordFailure();
      if (error instanceof ProviderTimeoutError || context.signal.aborted) {
        return outcome("timeout", [], attempts, "No answer in time");
      }
      return outcome("error", [], attempts, error instanceof ProviderError ? error.message : "The provider failed");
    } finally {
      if (probe) this.probing = false;
    }
  }

  private async attempt(query: ProviderQuery, context: ProviderCallContext): Promise<Offer[]> {
    const controller = new AbortController();
    const remaining = context.deadline - this.clock();
    if (remaining <= 0) throw new ProviderTimeoutError();
    const onParentAbort = () => controller.abort(context.signal.reason);
    context.signal.addEventListener("abort", onParentAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ProviderTimeoutError();
        controller.abort(error);
        reject(error);
      }, remaining);
    });
    try {
      // A provider that ignores its signal still loses the race against the deadline.
      return await Promise.race([this.provider.search(query, { ...context, signal: controller.signal }), timeout]);
    } catch (error) {
      if (controller.signal.aborted && !(error instanceof ProviderError)) throw new ProviderTimeoutError();
      throw error;
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener("abort", onParentAbort);
    }
  }

  private backoff(attempt: number, error: ProviderError): number {
    const cap = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
    const jittered = this.random() * cap;
    return Math.max(jittered, error.retryAfterMs ?? 0);
  }

  private recordSuccess() {
    this.consecutiveFailures = 0;
    this.state = "closed";
  }

  private recordFailure() {
    this.consecutiveFailures++;
    if (this.breakerState() === "half_open" || this.consecutiveFailures >= this.options.failureThreshold) {
      this.state = "open";
      this.openedAt = this.clock();
    }
  }

  private acquire(deadline: number, signal: AbortSignal): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.active++;
        resolve();
      };
      const giveUp = (error: unknown) => {
        const index = this.waiting.indexOf(grant);
        if (index !== -1) this.waiting.splice(index, 1);
        signal.removeEventListener("abort", onAbort);
        reject(error);
      };
      const onAbort = () => giveUp(new ProviderTimeoutError());
      const timer = setTimeout(() => giveUp(new ProviderTimeoutError("No free slot before the deadline")), Math.max(0, deadline - this.clock()));
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release() {
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }
}
