import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * The guard for every URL a user supplies (webhook endpoints, ntfy topics): a request must not
 * reach this machine, the private network or a cloud metadata service on their behalf (SSRF).
 * Two checks: the URL when it is saved (`urlProblem`), and every resolved address when the socket
 * connects (`guardedRequest`), so a name that resolves publicly at save time and privately later
 * (DNS rebinding) is still refused: the socket connects to the very address that was checked.
 */
export interface OutboundPolicy {
  /** Loopback addresses (127.0.0.0/8, ::1) are allowed: development, tests, a receiver on the same machine. */
  allowLoopback: boolean;
  /** Plain http is refused. */
  httpsOnly: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string>;
  /** At most `maxResponseBytes` of the body (UTF-8); the rest is not read. */
  body: string;
  durationMs: number;
}

/** dns.lookup with `all: true`; tests inject one to play a resolver. */
export type ResolveAll = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export interface GuardedRequestInit {
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: string;
  /** Bounds everything: resolving, connecting, sending and reading the whole response. */
  timeoutMs: number;
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4096;

/** A target the policy refuses. The message names the host or address and why, never the path or query (they may hold tokens). */
export class BlockedAddressError extends Error {
  readonly code = "EBLOCKED";

  constructor(message: string) {
    super(message);
    this.name = "BlockedAddressError";
  }
}

export class OutboundTimeoutError extends Error {
  readonly code = "ETIMEDOUT";

  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = "OutboundTimeoutError";
  }
}

/** Anything else that failed on the way: refused connection, unknown host, TLS, a reset. */
export class OutboundNetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutboundNetworkError";
  }
}

/** Host names refused whatever they resolve to: cloud metadata services answer on these. */
const REFUSED_NAMES = new Set(["metadata.google.internal", "metadata"]);

/** What each refused range is, in words a person configuring a webhook understands. */
const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address (this machine)",
  private: "a private network address",
  linkLocal: "a link-local address (includes cloud metadata services)",
  uniqueLocal: "a private (unique local) IPv6 address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  unspecified: "an unspecified address",
};

/**
 * Why a URL may not be used as an outbound target, as a sentence for the person who typed it, or
 * null when it may. Host names are not resolved here (that happens at connect time); IP literals,
 * in every spelling WHATWG URL accepts (`2130706433`, `0x7f.1`, `[::ffff:7f00:1]`), are checked.
 */
export function urlProblem(raw: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "This is not a valid URL.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Only http and https URLs can be used.";
  if (policy.httpsOnly && url.protocol !== "https:") return "Only https URLs can be used.";
  if (url.username || url.password) return "The URL may not contain a user name or password.";
  return hostProblem(bareHost(url.hostname), policy);
}

/** Whether a resolved (or literal) address may be connected to under the policy. */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  return addressProblem(address, policy) === null;
}

/**
 * Sends one request to a user-supplied URL under the policy, and reads at most
 * `maxResponseBytes` of the answer. Redirects are returned as they are, never followed (a
 * redirect to an internal address is the classic way around a URL check).
 * Throws BlockedAddressError, OutboundTimeoutError or OutboundNetworkError.
 */
export async function guardedRequest(url: string, init: GuardedRequestInit, policy: OutboundPolicy, deps: { lookup?: ResolveAll } = {}): Promise<GuardedResponse> {
  // Rechecked here, not only at save time: the policy may have changed, and this also refuses IP
  // literals, for which Node connects without calling `lookup`.
  const problem = urlProblem(url, policy);
  if (problem) throw new BlockedAddressError(problem);
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const headers = init.body === undefined ? init.headers : { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) };
  const started = performance.now();
  return new Promise<GuardedResponse>((resolve, reject) => {
    let settled = false;
    const settle = (result: { response: Omit<GuardedResponse, "durationMs"> } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ("error" in result) reject(outboundError(result.error));
      else resolve({ ...result.response, durationMs: Math.round(performance.now() - started) });
      request.destroy();
    };
    // agent: false: no pooled socket, so every request resolves and checks its addresses afresh.
    const request = transport.request(target, { method: init.method, headers, lookup: guardedLookup(policy, deps.lookup ?? dns.lookup), agent: false }, (response) => {
      readCapped(response, init.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, (body) => settle({ response: { status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body } }), (error) => settle({ error }));
    });
    const timer = setTimeout(() => settle({ error: new OutboundTimeoutError(init.timeoutMs) }), init.timeoutMs);
    request.on("error", (error) => settle({ error }));
    request.end(init.body);
  });
}

/** The `lookup` Node's socket calls when it connects to a name: resolves every address and refuses the connection if any one is not allowed. */
function guardedLookup(policy: OutboundPolicy, resolveAll: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      // All, not the first: a name with one public and one private address would otherwise
      // reach the private one whenever the connection falls back to it.
      for (const { address } of addresses) {
        const problem = addressProblem(address, policy);
        if (problem) return callback(new BlockedAddressError(`${hostname} resolves to ${address}, ${problem}, which is not allowed`), []);
      }
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** Reads the response body up to `limit` bytes, then stops reading (the rest is discarded with the socket). */
function readCapped(response: http.IncomingMessage, limit: number, done: (body: string) => void, failed: (error: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on("data", (chunk: Buffer) => {
    const room = limit - size;
    chunks.push(chunk.subarray(0, room));
    size += Math.min(room, chunk.length);
    if (size >= limit) done(decode(chunks));
  });
  response.on("end", () => done(decode(chunks)));
  response.on("error", failed);
  response.on("close", () => {
    if (!response.complete) failed(Object.assign(new Error("the connection closed before the response ended"), { code: "ECONNRESET" }));
  });
}

/** The body as text; a multi-byte character cut by the limit becomes U+FFFD rather than failing. */
function decode(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString("utf8");
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function outboundError(error: unknown): Error {
  if (error instanceof BlockedAddressError || error instanceof OutboundTimeoutError || error instanceof OutboundNetworkError) return error;
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "ENETWORK";
  const message = error instanceof Error ? error.message : String(error);
  return new OutboundNetworkError(code, message, { cause: error });
}

/** Why a host (a name or an IP literal, without brackets) is refused, or null. */
function hostProblem(host: string, policy: OutboundPolicy): string | null {
  if (ipaddr.isValid(host)) {
    const problem = addressProblem(host, policy);
    return problem ? `${host} is ${problem}, which is not allowed.` : null;
  }
  const name = host.toLowerCase().replace(/\.$/, "");
  if (REFUSED_NAMES.has(name)) return `${name} is a cloud metadata service, which is not allowed.`;
  // RFC 6761: these names are loopback wherever they resolve.
  if ((name === "localhost" || name.endsWith(".localhost")) && !policy.allowLoopback) return `${name} is this machine, which is not allowed.`;
  return null;
}

/**
 * Why an address is refused (a phrase such as "a private network address"), or null. Only public
 * unicast passes, plus loopback when the policy allows it. IPv4-mapped IPv6 is judged as the IPv4
 * address it maps; every other IPv6 address must be in 2000::/3, the only block IANA allocates as
 * global unicast, which also refuses the forms that embed an IPv4 address (IPv4-compatible ::/96,
 * NAT64 64:ff9b::/96, SIIT ::ffff:0:0:0/96) and whatever ipaddr.js does not name.
 */
function addressProblem(address: string, policy: OutboundPolicy): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return "not an IP address";
  }
  const range = ip.range();
  if (range === "loopback") return policy.allowLoopback ? null : RANGE_WORDS.loopback!;
  if (range !== "unicast") return RANGE_WORDS[range] ?? `a reserved address (${range})`;
  if (ip.kind() === "ipv6" && !ip.match(GLOBAL_UNICAST_V6)) return "a reserved IPv6 address";
  return null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/** URL.hostname keeps the brackets of an IPv6 literal. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
