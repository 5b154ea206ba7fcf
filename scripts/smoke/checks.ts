import crypto from "node:crypto";
import { CookieJar, type Instance } from "./client";
import { waitFor } from "./processes";
import { ANONYMOUS_SEARCHES_PER_MINUTE, type Topology } from "./topology";

/**
 * The smoke test's checks across the instances. Each returns what it saw (printed after its
 * name) or throws why it failed. They run in order and share the admin's browser and key.
 */

export interface Check {
  name: string;
  run(): Promise<string>;
}

interface ProviderStatus {
  provider: string;
  status: string;
}
interface SearchBody {
  flights: { id: string; price: unknown }[];
  providers: ProviderStatus[];
}
interface RunView {
  jobId: string;
  attempt: number;
  status: string;
  queryId: number;
}

const AIRPORTS = ["LHR", "JFK", "CDG", "FRA", "AMS", "MAD", "BCN", "FCO", "MUC", "ZRH", "DXB", "SIN", "HND", "LAX", "SFO", "ORD", "BOS", "YYZ", "IST", "LIS", "DUB", "CPH", "VIE", "ARN"];
/** Refreshed queries for the jobs check: enough that both workers must take some. */
const JOBS = 12;
const PAUSED_PROVIDER = "farefinder";
/** How stale a process's view of the pauses may be (server/providers/pauses.ts PAUSES_CACHE_MS), with a margin. */
const PAUSE_PROPAGATION_MS = 1_500;

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Searches no earlier run could have left in the cache: random routes on far-future dates (kept answers need them). */
class Searches {
  private readonly used = new Set<string>();
  private readonly firstDay = 150 + crypto.randomInt(150);
  private day = 0;

  next(): { originCode: string; destinationCode: string; departureDate: string } {
    for (;;) {
      const origin = AIRPORTS[crypto.randomInt(AIRPORTS.length)]!;
      const destination = AIRPORTS[crypto.randomInt(AIRPORTS.length)]!;
      const departureDate = addDays(today(), this.firstDay + (this.day++ % 60));
      const id = `${origin}-${destination}-${departureDate}`;
      if (origin === destination || this.used.has(id)) continue;
      this.used.add(id);
      return { originCode: origin, destinationCode: destination, departureDate };
    }
  }
}

const searchPath = (query: Record<string, string>) => `/api/v1/flights/search?${new URLSearchParams(query)}`;
/** A client address of the documentation ranges, new per caller, so that no earlier run's bucket is reused. */
const clientAddress = () => `198.51.100.${1 + crypto.randomInt(254)}`;
const statusOf = (body: SearchBody, provider: string) => body.providers.find((p) => p.provider === provider)?.status ?? "absent";
/** flight_tracker_jobs_total{queue="ingest",outcome="completed"} at a worker's metrics endpoint; null when it serves none. */
async function ingestJobsCompleted(url: string): Promise<number | null> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
  if (!response?.ok) return null;
  const line = (await response.text()).split("\n").find((l) => /^flight_tracker_jobs_total\{/.test(l) && l.includes('queue="ingest"') && l.includes('outcome="completed"'));
  return line ? Number(line.trim().split(/\s+/).at(-1)) : 0;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function smokeChecks(topology: Topology, deadline: number): Check[] {
  const { webA, webB, adminEmail } = topology;
  const searches = new Searches();
  const admin = { jar: new CookieJar(), client: clientAddress(), key: "" };
  /** The queries the jobs check had refreshed. */
  const refreshedQueries: Record<string, string>[] = [];
  const needKey = () => {
    assert(admin.key, "no admin API key (the sign-in check failed)");
    return admin.key;
  };
  const search = async (web: Instance, query: Record<string, string>) => {
    const { body, response } = await web.json<SearchBody>(searchPath(query), { key: needKey() });
    return { body, cache: response.headers.get("x-cache") };
  };
  const csrf = async (web: Instance) => (await web.json<{ csrfToken: string }>("/api/auth/csrf", { jar: admin.jar, client: admin.client })).body.csrfToken;

  return [
    {
      name: "sign-in across instances: a link asked for on web A with web B's CSRF token signs in on web B; the session holds on web A, as an admin",
      async run() {
        const csrfToken = await csrf(webB);
        const asked = await webA.call("/api/auth/signin/email", { jar: admin.jar, client: admin.client, body: new URLSearchParams({ csrfToken, email: adminEmail, callbackUrl: `${webA.origin}/account` }) });
        assert(asked.status === 302 && /verify-request/.test(asked.headers.get("location") ?? ""), `web A refused the sign-in request: ${asked.status} ${asked.headers.get("location")}`);
        const message = await waitFor("the sign-in email", async () => topology.mail.find((m) => m.to === adminEmail) ?? null, { deadline });
        const link = /(https?:\/\/\S+\/api\/auth\/callback\/email\S+)/.exec(message.text)?.[1];
        assert(link, `no sign-in link in the email: ${message.text.slice(0, 200)}`);
        const opened = await webB.call(new URL(link).pathname + new URL(link).search, { jar: admin.jar, client: admin.client });
        assert(opened.status === 302 && admin.jar.has(/session-token/), `web B did not sign in with the link: ${opened.status} ${opened.headers.get("location")}`);
        const { body: session } = await webA.json<{ user: { email: string; role: string } } | null>("/api/auth/session", { jar: admin.jar, client: admin.client });
        assert(session?.user.email === adminEmail, `web A does not know the session: ${JSON.stringify(session)}`);
        assert(session.user.role === "admin", `the session's role on web A is ${session.user.role}, not admin (ADMIN_EMAILS)`);
        const { body: made } = await webA.json<{ key: string }>(
          "/api/v1/api-keys",
          { jar: admin.jar, client: admin.client, headers: { origin: webA.origin }, body: { name: "smoke", scopes: ["admin", "search", "tracking:read", "tracking:write"] } },
          201,
        );
        admin.key = made.key;
        return `signed in as ${adminEmail}; admin API key made on web A`;
      },
    },
    {
      name: "shared cache: a search on web A is a MISS, the same search on web B a HIT with the same flights",
      async run() {
        const query = searches.next();
        const first = await search(webA, query);
        assert(first.cache === "MISS", `web A's first search was ${first.cache}, not MISS`);
        assert(first.body.flights.length > 0, "web A found no flights");
        const second = await search(webB, query);
        assert(second.cache === "HIT", `web B's search was ${second.cache}, not HIT`);
        assert(JSON.stringify(second.body.flights) === JSON.stringify(first.body.flights), "web B answered other flights than web A");
        return `${query.originCode}-${query.destinationCode} ${query.departureDate}: ${first.body.flights.length} flights, MISS on A, HIT on B`;
      },
    },
    {
      name: `provider pause: ${PAUSED_PROVIDER} paused through web A is paused on web B (a new search, and one answered before the pause); resumed through web B, web A asks it again`,
      async run() {
        const key = needKey();
        const problems: string[] = [];
        const expect = (ok: boolean, problem: string) => void (ok || problems.push(problem));
        const before = searches.next();
        const kept = await search(webA, before);
        assert(statusOf(kept.body, PAUSED_PROVIDER) === "ok", `before the pause web A reports ${PAUSED_PROVIDER} as ${statusOf(kept.body, PAUSED_PROVIDER)}`);
        await webA.json(`/api/v1/admin/providers/${PAUSED_PROVIDER}/pause`, { key, body: { reason: "smoke test" } });
        // Resumed whatever happens: the checks after this one need every provider.
        try {
          await sleep(PAUSE_PROPAGATION_MS);
          const onB = await search(webB, searches.next());
          expect(statusOf(onB.body, PAUSED_PROVIDER) === "paused", `web B's new search reports ${PAUSED_PROVIDER} as ${statusOf(onB.body, PAUSED_PROVIDER)}, not paused`);
          expect(onB.body.providers.some((p) => p.status === "ok"), "web B's search had no provider answering");
          const again = await search(webB, before);
          expect(statusOf(again.body, PAUSED_PROVIDER) === "paused", `web B answers a search made before the pause (${again.cache}) with ${PAUSED_PROVIDER} ${statusOf(again.body, PAUSED_PROVIDER)}, not paused`);
        } finally {
          await webB.json(`/api/v1/admin/providers/${PAUSED_PROVIDER}/resume`, { key, body: {} });
        }
        await sleep(PAUSE_PROPAGATION_MS);
        const onA = await search(webA, searches.next());
        expect(statusOf(onA.body, PAUSED_PROVIDER) === "ok", `web A's search reports ${PAUSED_PROVIDER} as ${statusOf(onA.body, PAUSED_PROVIDER)} after the resume`);
        assert(problems.length === 0, problems.join("; "));
        return "web B saw it paused (new and earlier searches alike); web A saw it answer again after the resume";
      },
    },
    {
      name: `jobs: ${JOBS} tracked queries refreshed through web B each ran once, succeeded, and both workers ran some`,
      async run() {
        const key = needKey();
        const tracked = Array.from({ length: JOBS }, () => searches.next());
        refreshedQueries.push(...tracked);
        for (const [i, route] of tracked.entries()) await (i % 2 ? webB : webA).json("/api/v1/tracked-routes", { key, body: { kind: "exact", ...route } }, 201);
        const freshness = await webA.trpc<{ items: { queryId: number }[] }>("query", "admin.freshness", { limit: 200 }, { key });
        const queryIds = freshness.items.map((item) => item.queryId);
        assert(queryIds.length === JOBS, `the freshness page lists ${queryIds.length} tracked queries, not ${JOBS}`);
        const refreshed = await webB.trpc<{ enqueued: number }>("mutation", "admin.refreshNow", { queryIds }, { key });
        assert(refreshed.enqueued === JOBS, `refresh now enqueued ${refreshed.enqueued} jobs, not ${JOBS}`);

        const runs = await waitFor(
          "every refresh run finished",
          async () => {
            const { body } = await webA.json<{ ingestions: RunView[] }>("/api/v1/admin/ingestions?limit=200", { key });
            const finished = body.ingestions.filter((run) => run.status !== "running");
            return finished.length >= JOBS ? body.ingestions : null;
          },
          { deadline, everyMs: 500 },
        );
        const failed = runs.filter((run) => run.status !== "succeeded");
        assert(failed.length === 0, `${failed.length} runs did not succeed: ${JSON.stringify(failed.slice(0, 3))}`);
        assert(runs.length === JOBS && new Set(runs.map((r) => r.jobId)).size === JOBS, `${runs.length} runs of ${new Set(runs.map((r) => r.jobId)).size} jobs, not one run per job`);
        assert(new Set(runs.map((r) => r.queryId)).size === JOBS && runs.every((r) => queryIds.includes(r.queryId)), "the runs are not one per refreshed query");

        // A job ends by caching its prices for searches: the worker that wrote a query's entry ran its job.
        const cached = (commands: string[][]) => new Set(commands.filter((c) => c[0]?.toUpperCase() === "SET" && /^ft:search:/.test(c[1] ?? "")).map((c) => c[1]!));
        const one = cached(topology.workerCommands["worker 1"]);
        const two = cached(topology.workerCommands["worker 2"]);
        const both = [...one].filter((k) => two.has(k));
        assert(both.length === 0, `${both.length} queries were refreshed by both workers`);
        assert(one.size + two.size === JOBS, `the workers cached ${one.size + two.size} refreshed queries, not ${JOBS}`);
        assert(one.size > 0 && two.size > 0, `one worker ran every job (worker 1: ${one.size}, worker 2: ${two.size})`);
        // And each worker's own metrics say the same, where it serves them.
        const counted = await Promise.all(
          (["worker 1", "worker 2"] as const).map(async (name) => {
            const ran = name === "worker 1" ? one.size : two.size;
            const read = async () => ingestJobsCompleted(topology.workerMetrics[name]);
            const first = await read();
            if (first === null) return `${name}: no metrics served`;
            const settled = await waitFor(`${name}'s metrics`, async () => ((await read()) === ran ? ran : null), { deadline: Math.min(deadline, Date.now() + 5_000) }).catch(() => null);
            assert(settled !== null, `${name}'s metrics count ${await read()} ingestion jobs completed, not the ${ran} it ran`);
            return `${name}'s metrics agree`;
          }),
        );
        return `${JOBS} runs succeeded; worker 1 ran ${one.size}, worker 2 ran ${two.size} (${counted.join(", ")})`;
      },
    },
    {
      name: "a worker's prices serve the web: a search on web A of a query a job refreshed is a cache HIT",
      async run() {
        const query = refreshedQueries[0];
        assert(query, "no query was refreshed (the jobs check failed)");
        const answer = await search(webA, query);
        assert(answer.cache === "HIT", `the search was ${answer.cache}, not HIT`);
        return `${query.originCode}-${query.destinationCode} ${query.departureDate}: HIT, ${answer.body.flights.length} flights`;
      },
    },
    {
      name: `shared rate limit: ${ANONYMOUS_SEARCHES_PER_MINUTE} anonymous searches alternating web A and B use one bucket; the next is refused`,
      async run() {
        const client = clientAddress();
        const path = searchPath(searches.next());
        const remaining: string[] = [];
        for (let i = 0; i < ANONYMOUS_SEARCHES_PER_MINUTE; i++) {
          const response = await (i % 2 ? webB : webA).call(path, { client });
          await response.body?.cancel();
          assert(response.status === 200, `search ${i + 1} (web ${i % 2 ? "B" : "A"}) answered ${response.status}`);
          remaining.push(response.headers.get("ratelimit-remaining") ?? "?");
        }
        const expected = Array.from({ length: ANONYMOUS_SEARCHES_PER_MINUTE }, (_, i) => String(ANONYMOUS_SEARCHES_PER_MINUTE - 1 - i));
        assert(remaining.join() === expected.join(), `RateLimit-Remaining went ${remaining.join(", ")}, not ${expected.join(", ")}`);
        const over = await webA.call(path, { client });
        await over.body?.cancel();
        assert(over.status === 429 && over.headers.get("retry-after"), `search ${ANONYMOUS_SEARCHES_PER_MINUTE + 1} answered ${over.status}, not 429 with Retry-After`);
        return `remaining ${remaining.join(", ")} across A and B, then 429`;
      },
    },
    {
      name: "sign-out across instances: signing out on web B ends the session on web A",
      async run() {
        assert(admin.jar.has(/session-token/), "no session (the sign-in check failed)");
        const session = admin.jar.header();
        const out = await webB.call("/api/auth/signout", { jar: admin.jar, client: admin.client, body: new URLSearchParams({ csrfToken: await csrf(webB) }) });
        assert(out.status === 302, `web B's sign-out answered ${out.status}`);
        // The old cookie, as a copy kept elsewhere would still send it.
        const after = await webA.call("/api/v1/api-keys", { headers: { cookie: session } });
        await after.body?.cancel();
        assert(after.status === 401, `web A still accepts the ended session (${after.status})`);
        return "web A answers 401 to the ended session";
      },
    },
  ];
}
