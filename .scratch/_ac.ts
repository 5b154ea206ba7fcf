import autocannon from "autocannon";
import { uniqueSearches } from "../bench/support";
const next = uniqueSearches();
for (let i = 0; i < 500; i++) next(); // skip the warm ones
const start = Date.now();
const slow: number[] = [];
const buckets: number[][] = [];
const inst = autocannon({ url: "http://127.0.0.1:3291", connections: 64, duration: Number(process.argv[2] ?? 20), requests: [{ method: "GET", setupRequest: (r) => ({ ...r, path: next() }) }] }, (e, res) => {
  console.log("rps", res.requests.average, "errors", res.errors, "timeouts", res.timeouts, "non2xx", res.non2xx, "p99", res.latency.p99, "max", res.latency.max);
  console.log("slow (>3s) completion seconds:", slow.map((s) => s.toFixed(1)).join(" "));
});
inst.on("response", (_c: unknown, _s: number, _b: number, rt: number) => { if (rt > 3000) slow.push((Date.now() - start) / 1000); const b = Math.floor((Date.now() - start) / 10000); (buckets[b] ??= []).push(rt); });
inst.on("done", () => console.log("p95 per 10 s:", buckets.map((l) => { l.sort((x, y) => x - y); return `${l.length}/${l[Math.floor(l.length * 0.95)]}`; }).join(" ")));
