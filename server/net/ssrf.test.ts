import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closeLoopbackServers, loopbackServer, type Hit } from "@/test/loopback-http";
import { addressAllowed, BlockedAddressError, guardedRequest, OutboundNetworkError, OutboundTimeoutError, urlProblem, type OutboundPolicy, type ResolveAll } from "./ssrf";

const strict: OutboundPolicy = { allowLoopback: false, httpsOnly: false };
const loopbackAllowed: OutboundPolicy = { allowLoopback: true, httpsOnly: false };

afterEach(closeLoopbackServers);

const serve = loopbackServer;

function ok(_hit: Hit, response: http.ServerResponse): void {
  response.writeHead(200, { "content-type": "text/plain" });
  response.end("received");
}

/** A resolver playing DNS from a table, recording the names it was asked for. */
function resolver(table: Record<string, string[]>): ResolveAll & { asked: string[] } {
  const asked: string[] = [];
  const resolve: ResolveAll = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      addresses.map((address) => ({ address, family: net.isIP(address) })),
    );
  };
  return Object.assign(resolve, { asked });
}

const request = { method: "POST", headers: { "content-type": "text/plain" }, body: "hello", timeoutMs: 5_000 } as const;

describe("urlProblem", () => {
  it.each([
    ["http://127.0.0.1/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://2130706433/", "loopback"],
    ["http://0x7f000001/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://0177.0.0.1/", "loopback"],
    ["http://127.255.0.9:8080/hook", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[::ffff:7f00:1]/", "loopback"],
    ["http://10.1.2.3/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.254/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://[::ffff:192.168.1.1]/", "private"],
    ["http://169.254.169.254/latest/meta-data/", "link-local"],
    ["http://100.64.0.1/", "carrier-grade NAT"],
    ["http://100.100.100.200/", "carrier-grade NAT"],
    ["http://0.0.0.0/", "unspecified"],
    ["http://0/", "unspecified"],
    ["http://[::]/", "unspecified"],
    ["http://[fe80::1]/", "link-local"],
    ["http://[fd00::1]/", "unique local"],
    ["http://[fd00:ec2::254]/", "unique local"],
    ["http://224.0.0.1/", "multicast"],
    ["http://[ff02::1]/", "multicast"],
    ["http://255.255.255.255/", "broadcast"],
    ["http://192.0.2.1/", "reserved"],
    ["http://240.0.0.1/", "reserved"],
    ["http://[2001:db8::1]/", "reserved"],
    ["http://[::7f00:1]/", "reserved"],
    ["http://[64:ff9b::7f00:1]/", "reserved"],
    ["http://[::ffff:0:7f00:1]/", "reserved"],
    ["http://[2002:7f00:1::1]/", "reserved"],
    ["http://[2001::1]/", "reserved"],
    ["http://localhost:3000/", "this machine"],
    ["http://LOCALHOST./", "this machine"],
    ["http://foo.localhost/", "this machine"],
    ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
    ["file:///etc/passwd", "http and https"],
    ["ftp://example.com/", "http and https"],
    ["gopher://example.com/", "http and https"],
    ["javascript:alert(1)", "http and https"],
    ["http://user:pass@example.com/", "user name or password"],
    ["https://token@example.com/", "user name or password"],
    ["not a url", "not a valid URL"],
  ])("refuses %s", (url, why) => {
    expect(urlProblem(url, strict)).toContain(why);
  });

  it.each(["https://93.184.216.34/hook", "http://1.1.1.1/", "https://[2606:4700::1111]/", "https://[::ffff:8.8.8.8]/", "https://example.com/hooks?token=abc", "http://ntfy.sh:8080/alerts"])("accepts %s", (url) => {
    expect(urlProblem(url, strict)).toBeNull();
  });

  it("refuses plain http when the policy wants https", () => {
    const httpsOnly = { ...strict, httpsOnly: true };
    expect(urlProblem("http://example.com/", httpsOnly)).toContain("https");
    expect(urlProblem("https://example.com/", httpsOnly)).toBeNull();
  });

  it.each(["http://127.0.0.1:8080/", "http://127.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost/", "http://app.localhost/"])("accepts loopback %s when the policy allows it", (url) => {
    expect(urlProblem(url, loopbackAllowed)).toBeNull();
  });

  it.each(["http://0.0.0.0/", "http://10.0.0.1/", "http://169.254.169.254/", "http://[fe80::1]/", "http://metadata.google.internal/"])("still refuses %s when loopback is allowed", (url) => {
    expect(urlProblem(url, loopbackAllowed)).not.toBeNull();
  });
});

describe("addressAllowed", () => {
  it.each([
    ["93.184.216.34", true],
    ["2606:4700::1111", true],
    ["::ffff:8.8.8.8", true],
    ["127.0.0.1", false],
    ["::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["169.254.169.254", false],
    ["fe80::1%eth0", false],
    ["fc00::1", false],
    ["0.0.0.0", false],
    ["not-an-address", false],
  ] as const)("%s -> %s", (address, allowed) => {
    expect(addressAllowed(address, strict)).toBe(allowed);
  });

  it("allows loopback, and only loopback, when the policy does", () => {
    expect(addressAllowed("127.0.0.1", loopbackAllowed)).toBe(true);
    expect(addressAllowed("::1", loopbackAllowed)).toBe(true);
    expect(addressAllowed("10.0.0.1", loopbackAllowed)).toBe(false);
  });
});

describe("guardedRequest", () => {
  it("reaches a loopback server only when the policy allows loopback", async () => {
    const server = await serve(ok);
    await expect(guardedRequest(`${server.url}/hook`, request, strict)).rejects.toBeInstanceOf(BlockedAddressError);
    expect(server.hits).toHaveLength(0);

    const response = await guardedRequest(`${server.url}/hook`, request, loopbackAllowed);
    expect(response).toMatchObject({ status: 200, body: "received", headers: { "content-type": "text/plain" } });
    expect(response.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.hits).toEqual([expect.objectContaining({ method: "POST", path: "/hook", body: "hello", headers: expect.objectContaining({ "content-type": "text/plain", "content-length": "5" }) })]);
  });

  it("refuses, at connect time, a name that resolves to loopback (DNS rebinding)", async () => {
    const server = await serve(ok);
    const url = `http://rebind.example:${server.port}/hook?token=s3cret`;
    const dns = resolver({ "rebind.example": ["127.0.0.1"] });
    expect(urlProblem(url, strict)).toBeNull();

    const refused = await guardedRequest(url, request, strict, { lookup: dns }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BlockedAddressError);
    expect(refused).toMatchObject({ code: "EBLOCKED", message: expect.stringContaining("rebind.example resolves to 127.0.0.1") });
    expect((refused as Error).message).not.toContain("s3cret");
    expect(dns.asked).toEqual(["rebind.example"]);
    expect(server.hits).toHaveLength(0);

    // The socket connects to the address the guard checked, not to a second resolution.
    const reached = await guardedRequest(url, request, loopbackAllowed, { lookup: dns });
    expect(reached.status).toBe(200);
    expect(server.hits[0]?.headers.host).toBe(`rebind.example:${server.port}`);
  });

  it.each([
    [["127.0.0.1", "10.0.0.7"], "10.0.0.7"],
    [["10.0.0.7", "127.0.0.1"], "10.0.0.7"],
    [["127.0.0.1", "::ffff:169.254.169.254"], "::ffff:169.254.169.254"],
  ])("refuses a name resolving to %j because of %s", async (addresses, culprit) => {
    const server = await serve(ok);
    const dns = resolver({ "mixed.example": addresses });
    const refused = guardedRequest(`http://mixed.example:${server.port}/`, request, loopbackAllowed, { lookup: dns });
    await expect(refused).rejects.toThrow(`mixed.example resolves to ${culprit}`);
    expect(server.hits).toHaveLength(0);
  });

  it("resolves names with the system resolver when none is given", async () => {
    const server = await serve(ok);
    await expect(guardedRequest(`http://localhost:${server.port}/`, request, loopbackAllowed)).resolves.toMatchObject({ status: 200 });
  });

  it("passes resolver failures through with their code", async () => {
    const refused = guardedRequest("https://nowhere.example/", request, strict, { lookup: resolver({}) });
    await expect(refused).rejects.toBeInstanceOf(OutboundNetworkError);
    await expect(refused).rejects.toMatchObject({ code: "ENOTFOUND" });
  });

  it("passes connection failures through with their code", async () => {
    const server = await serve(ok);
    await server.close();
    await expect(guardedRequest(server.url, request, loopbackAllowed)).rejects.toMatchObject({ name: "OutboundNetworkError", code: "ECONNREFUSED" });
  });

  it.each([
    ["ftp://example.com/", strict],
    ["http://user:secret@example.com/", strict],
    ["http://example.com/", { ...strict, httpsOnly: true }],
    ["http://169.254.169.254/latest/meta-data/", loopbackAllowed],
  ])("rechecks the URL itself: %s", async (url, policy) => {
    const dns = resolver({ "example.com": ["93.184.216.34"] });
    await expect(guardedRequest(url, request, policy, { lookup: dns })).rejects.toBeInstanceOf(BlockedAddressError);
    expect(dns.asked).toEqual([]);
  });

  it("returns a redirect as it is and never follows it", async () => {
    const server = await serve((hit, response) => {
      if (hit.path === "/start") response.writeHead(302, { location: `http://127.0.0.1:${(hit.headers.host ?? "").split(":")[1]}/target` }).end();
      else ok(hit, response);
    });
    const response = await guardedRequest(`${server.url}/start`, request, loopbackAllowed);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${server.url}/target`);
    expect(server.hits.map((hit) => hit.path)).toEqual(["/start"]);
  });

  it("times out on a server that never answers", async () => {
    const server = await serve(() => {});
    const refused = guardedRequest(server.url, { ...request, timeoutMs: 200 }, loopbackAllowed);
    await expect(refused).rejects.toBeInstanceOf(OutboundTimeoutError);
    await expect(refused).rejects.toMatchObject({ timeoutMs: 200, message: "timed out after 200 ms" });
  });

  it("times out on a response whose body never ends: the limit covers the whole response", async () => {
    const server = await serve((_hit, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("partial");
    });
    await expect(guardedRequest(server.url, { ...request, timeoutMs: 300 }, loopbackAllowed)).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it("reads at most maxResponseBytes of the body, 4096 unless told", async () => {
    const server = await serve((_hit, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("x".repeat(100_000));
    });
    expect((await guardedRequest(server.url, { ...request, maxResponseBytes: 100 }, loopbackAllowed)).body).toBe("x".repeat(100));
    expect((await guardedRequest(server.url, request, loopbackAllowed)).body).toHaveLength(4096);
  });

  it("stops reading an endless body once it has maxResponseBytes", async () => {
    const server = await serve((_hit, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => response.write("y".repeat(64)), 5);
      response.on("close", () => clearInterval(drip));
    });
    const response = await guardedRequest(server.url, { ...request, maxResponseBytes: 300, timeoutMs: 10_000 }, loopbackAllowed);
    expect(response.body).toBe("y".repeat(300));
  });

  it("sends a GET without a body", async () => {
    const server = await serve(ok);
    await guardedRequest(server.url, { method: "GET", headers: { accept: "text/plain" }, timeoutMs: 5_000 }, loopbackAllowed);
    expect(server.hits[0]).toMatchObject({ method: "GET", body: "" });
    expect(server.hits[0]?.headers["content-length"]).toBeUndefined();
  });
});
