import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openEmbedded, queryRows, type Database } from "@/db/client";
import packageJson from "@/package.json";
import { ENV_NAMES, serverSchema } from "@/server/env";
import { STATIC_SECURITY_HEADERS } from "@/server/http/security";
import { envOf, inherited, lineage, parseDockerfile } from "./dockerfile";
import { bytes, findAll, milliseconds, own, parseNginx, type Directive } from "./nginx-config";

/**
 * The deployment files, checked without Docker (none on this machine): docker-compose.yml,
 * the Dockerfile and deploy/nginx.conf, read as Compose, Docker and nginx read them, against
 * what the app itself says (server/env.ts, package.json, the embedded engine, its routes).
 */

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  deploy?: { replicas?: number | string };
  profiles?: string[];
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  restart?: string;
  container_name?: string;
}
interface Compose {
  services: Record<string, Service>;
  "x-not-passed": Record<string, string>;
}

// Compose merges `<<: *anchor` keys (YAML 1.1 merge keys), and so does this parse.
const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;
const services = compose.services;
const dockerfile = parseDockerfile(read("Dockerfile"));
const nginx = parseNginx(read("deploy/nginx.conf"));

/** A default of server/env.ts, as the app resolves it when the variable is unset. */
const defaultOf = <K extends keyof typeof serverSchema>(name: K) => serverSchema[name].parse(undefined);

/** The command of a healthcheck as one string. */
const testOf = (check: Healthcheck | undefined) => [check?.test ?? []].flat().join(" ");

describe("docker-compose.yml", () => {
  it("has the topology: TimescaleDB, Redis and its REST proxy, a one-shot migration, web, workers, nginx, and mailpit for development", () => {
    expect(Object.keys(services).sort()).toEqual(["mailpit", "migrate", "nginx", "redis", "redis-http", "timescaledb", "web", "worker"]);
    expect(services.mailpit!.profiles).toEqual(["dev"]);
    for (const [name, service] of Object.entries(services)) if (name !== "mailpit") expect(service.profiles, name).toBeUndefined();
  });

  it("gives every service a healthcheck; only a one-shot that the others wait on to finish goes without", () => {
    for (const [name, service] of Object.entries(services)) {
      const check = service.healthcheck;
      expect(check, `${name} has no healthcheck`).toBeDefined();
      if (check!.disable) {
        const waiting = Object.values(services).filter((s) => s.depends_on?.[name]);
        expect(waiting.length, `${name}: a disabled healthcheck is for a one-shot others wait on`).toBeGreaterThan(0);
        for (const s of waiting) expect(s.depends_on![name]!.condition).toBe("service_completed_successfully");
        expect(service.restart).toBe("no");
      } else {
        expect(testOf(check), name).toMatch(/^CMD(-SHELL)? \S/);
      }
    }
  });

  it("passes every variable the app reads (server/env.ts) to web and worker, or says why not", () => {
    const notPassed = compose["x-not-passed"];
    const names = new Set<string>(ENV_NAMES);
    for (const [name, reason] of Object.entries(notPassed)) {
      expect(names.has(name), `x-not-passed names ${name}, which the app does not read`).toBe(true);
      expect(reason.length, `x-not-passed ${name}: say why`).toBeGreaterThan(10);
    }
    for (const role of ["web", "worker", "migrate"] as const) {
      const passed = Object.keys(services[role]!.environment ?? {});
      const missing = ENV_NAMES.filter((name) => !passed.includes(name) && !(name in notPassed));
      expect(missing, `${role} does not get these, and x-not-passed does not say why`).toEqual([]);
      expect(passed.filter((name) => name in notPassed), `${role} gets variables listed as not passed`).toEqual([]);
      expect(passed.filter((name) => !names.has(name)), `${role} gets variables the app does not read (a typo?)`).toEqual([]);
    }
  });

  it("takes secrets from the environment, never from the file; the required ones stop `up` with a message when unset", () => {
    const env = services.web!.environment!;
    for (const [name, value] of Object.entries(env)) {
      if (/SECRET|TOKEN|PASSWORD|_HEADERS$/.test(name)) expect(value, name).toMatch(/\$\{/);
      if (name === "DATABASE_URL") expect(value).toMatch(/:\$\{POSTGRES_PASSWORD:\?[^}]+\}@/);
    }
    expect(env.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?.+\}$/);
    expect(env.AUTH_URL).toMatch(/^\$\{AUTH_URL:\?.+\}$/);
    expect(env.UPSTASH_REDIS_REST_TOKEN).toMatch(/^\$\{SRH_TOKEN:\?.+\}$/);
    expect(services.timescaledb!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    expect(services["redis-http"]!.environment!.SRH_TOKEN).toMatch(/^\$\{SRH_TOKEN:\?.+\}$/);
    // The jobs run in the worker service, and nginx is one proxy in front of the app.
    expect(env.WORKER_MODE).toBe("worker");
    expect(env.TRUSTED_PROXIES).toBe("${TRUSTED_PROXIES:-1}");
  });

  it("migrates once, before web and workers start", () => {
    const migrate = services.migrate!;
    expect([migrate.command].flat().join(" ")).toMatch(/^npm run db:(seed|migrate)$/);
    const script = packageJson.scripts[[migrate.command].flat().join(" ").replace("npm run ", "") as "db:seed"];
    expect(script).toMatch(/scripts\/(seed|migrate)\.ts$/);
    // scripts/seed.ts migrates first, then loads the reference data the app needs.
    if (/seed/.test(script)) expect(read("scripts/seed.ts")).toMatch(/await migrate\(database\)/);
    expect(migrate.depends_on?.timescaledb?.condition).toBe("service_healthy");
    for (const role of ["web", "worker"]) expect(services[role]!.depends_on?.migrate?.condition, role).toBe("service_completed_successfully");
  });

  it("scales web and workers: replicas, no fixed names or host ports; nginx in front finds the web instances", () => {
    for (const role of ["web", "worker"]) {
      const service = services[role]!;
      expect(String(service.deploy?.replicas), role).toMatch(/^\$\{\w+_REPLICAS:-[1-9]\d*\}$|^[1-9]\d*$/);
      expect(service.container_name, role).toBeUndefined();
      expect(service.ports, role).toBeUndefined();
    }
    expect(services.nginx!.depends_on?.web?.condition).toBe("service_healthy");
    expect(services.nginx!.volumes).toContain("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro");
  });

  it("pins every image it pulls (a version, never latest)", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      const [image, tag] = service.image!.split(":");
      expect(tag, `${name}: ${image} without a tag`).toBeDefined();
      expect(tag, name).not.toMatch(/latest/);
      expect(tag, name).toMatch(/\d+\.\d+/);
    }
    const [first] = dockerfile.stages;
    expect(first!.from).toMatch(/^node:\d+\.\d+\.\d+-/);
  });

  it("puts Upstash's REST API in front of Redis the way Upstash documents it (Serverless Redis HTTP), and the app uses it", () => {
    const proxy = services["redis-http"]!;
    expect(proxy.image).toMatch(/^hiett\/serverless-redis-http:/);
    expect(proxy.environment).toMatchObject({ SRH_MODE: "env", SRH_CONNECTION_STRING: "redis://redis:6379" });
    expect(proxy.depends_on?.redis?.condition).toBe("service_healthy");
    expect(services.web!.environment!.UPSTASH_REDIS_REST_URL).toBe("http://redis-http:80");
  });

  it("builds web and worker from the Dockerfile's targets; the worker's healthcheck is its own /live on WORKER_METRICS_PORT", () => {
    const targets = dockerfile.stages.map((s) => s.name);
    for (const role of ["web", "worker", "migrate"]) expect(targets, role).toContain(services[role]!.build!.target);
    expect(testOf(services.web!.healthcheck)).toContain("http://127.0.0.1:3000/api/health/live");
    expect(testOf(services.worker!.healthcheck)).toMatch(/WORKER_METRICS_PORT \|\| 9464\) \+ '\/live'/);
    expect(defaultOf("WORKER_METRICS_PORT")).toBe(9464);
    expect(services.worker!.environment!.WORKER_METRICS_PORT).toBe("${WORKER_METRICS_PORT:-9464}");
    const nginxCheck = /http:\/\/127\.0\.0\.1(\/\S+)/.exec(testOf(services.nginx!.healthcheck))![1]!;
    expect(findAll(nginx, "location").some((l) => l.args.join(" ") === `= ${nginxCheck}`)).toBe(true);
  });
});

describe("the TimescaleDB image", () => {
  let embedded: Database;
  beforeAll(async () => {
    embedded = await openEmbedded();
  });
  afterAll(async () => {
    await embedded?.close();
  });

  it("is of the embedded engine's PostgreSQL major version and TimescaleDB minor version, as package.json's notes say", async () => {
    const [versions] = await queryRows<{ postgres: string; timescale: string }>(
      embedded.db,
      `SELECT current_setting('server_version') AS postgres, (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS timescale`,
    );
    const postgresMajor = versions!.postgres.split(".")[0]!;
    const timescaleMinor = versions!.timescale.split(".").slice(0, 2).join(".");
    const tag = /^timescale\/timescaledb:(\d+\.\d+)\.\d+-pg(\d+)$/.exec(services.timescaledb!.image!);
    expect(tag, services.timescaledb!.image).not.toBeNull();
    expect({ timescale: tag![1], postgres: tag![2] }).toEqual({ timescale: timescaleMinor, postgres: postgresMajor });
    // The notes that the compose file's comment cites.
    const notes = packageJson["//"].join(" ");
    expect(notes).toContain(`PostgreSQL ${versions!.postgres.split(" ")[0]}`);
    expect(notes).toContain(`TimescaleDB ${timescaleMinor}`);
  });
});

describe("Dockerfile", () => {
  it("runs both images as an unprivileged user", () => {
    for (const target of ["web", "worker"]) {
      const users = inherited(dockerfile, target, "USER");
      expect(users.length, target).toBeGreaterThan(0);
      expect(users.at(-1)!.value, target).not.toMatch(/^(root|0)(:|$)/);
    }
  });

  it("web: the standalone server, with the embedded engine's data folder in a volume, and a liveness HEALTHCHECK", () => {
    const build = dockerfile.stages.find((s) => s.instructions.some((i) => i.keyword === "RUN" && /npm run build/.test(i.value)))!;
    expect(envOf(inherited(dockerfile, build.name!, "ENV")).NEXT_OUTPUT).toBe("standalone");
    const web = lineage(dockerfile, "web")[0]!;
    const copies = web.instructions.filter((i) => i.keyword === "COPY").map((i) => i.value);
    for (const from of ["/app/.next/standalone", "/app/.next/static", "/app/db/migrations"]) expect(copies.some((c) => c.includes(from)), from).toBe(true);
    expect(web.instructions.find((i) => i.keyword === "CMD")?.value).toBe('["node", "server.js"]');

    const env = envOf(inherited(dockerfile, "web", "ENV"));
    const volumes = inherited(dockerfile, "web", "VOLUME").flatMap((v) => JSON.parse(v.value) as string[]);
    expect(env.EMBEDDED_DATABASE_DIR).toBeTruthy();
    expect(volumes.some((v) => env.EMBEDDED_DATABASE_DIR!.startsWith(`${v.replace(/\/$/, "")}/`)), "EMBEDDED_DATABASE_DIR is inside a VOLUME").toBe(true);
    expect(env.PORT).toBe("3000");
    expect(services.web!.expose).toEqual([env.PORT]);

    const health = inherited(dockerfile, "web", "HEALTHCHECK").at(-1)!.value;
    expect(health).toContain("/api/health/live");
    expect(fs.existsSync(path.join(root, "app/api/health/live/route.ts"))).toBe(true);
  });

  it("worker: runs scripts/worker.ts with tsx, its HEALTHCHECK on the worker's /live", () => {
    const worker = lineage(dockerfile, "worker");
    // tsx is a dev dependency: the worker's modules are installed with dev ones.
    const installs = inherited(dockerfile, "worker", "RUN").filter((i) => /npm ci/.test(i.value));
    expect(installs).toHaveLength(1);
    expect(installs[0]!.value).not.toMatch(/--omit=dev|--production/);
    expect(packageJson.devDependencies.tsx).toBeDefined();
    const cmd = JSON.parse(worker[0]!.instructions.find((i) => i.keyword === "CMD")!.value) as string[];
    expect(cmd).toEqual(["node_modules/.bin/tsx", "scripts/worker.ts"]);
    expect(packageJson.scripts.worker).toBe("tsx scripts/worker.ts");
    expect(inherited(dockerfile, "worker", "HEALTHCHECK").at(-1)!.value).toContain("http://127.0.0.1:${WORKER_METRICS_PORT:-9464}/live");
  });

  it("is built on the Node.js line package.json asks for", () => {
    const [major, minor] = dockerfile.args.NODE_VERSION!.split(".").map(Number);
    const [wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(packageJson.engines.node)!.slice(1).map(Number);
    expect(major! > wantMajor! || (major === wantMajor && minor! >= wantMinor!)).toBe(true);
  });

  it(".dockerignore keeps secrets, local data and installed modules out of the build", () => {
    const ignored = read(".dockerignore").split("\n").map((l) => l.trim());
    for (const entry of [".env", ".env.*", "!.env.example", "node_modules", ".next", ".data", ".git"]) expect(ignored, entry).toContain(entry);
  });
});

describe("deploy/nginx.conf", () => {
  const http = own(nginx, "http")[0]!.block!;
  const server = own(http, "server")[0]!.block!;
  const locations = own(server, "location");
  const upstream = own(http, "upstream")[0]!;
  const value = (directives: Directive[], name: string) => own(directives, name).at(-1)?.args;

  it("proxies every location that proxies to the web instances, found again as they scale", () => {
    expect(own(upstream.block!, "server").map((s) => s.args)).toEqual([["web:3000", "resolve"]]);
    expect(own(upstream.block!, "zone")).toHaveLength(1);
    expect(own(http, "resolver")).toHaveLength(1);
    const targets = findAll(server, "proxy_pass").map((p) => p.args[0]);
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets)).toEqual(new Set([`http://${upstream.args[0]}`]));
  });

  it("passes the client's address, host, scheme and request id the way the app reads them", () => {
    const headers = Object.fromEntries(own(server, "proxy_set_header").map((h) => [h.args[0]!.toLowerCase(), h.args[1]]));
    expect(headers).toMatchObject({
      host: "$host",
      "x-forwarded-host": "$host",
      "x-forwarded-for": "$proxy_add_x_forwarded_for",
      "x-forwarded-proto": expect.stringMatching(/^\$/),
      "x-request-id": expect.stringMatching(/^\$/),
    });
    // Keep-alive to the app: HTTP/1.1 without the client's Connection header.
    expect(value(server, "proxy_http_version")).toEqual(["1.1"]);
    expect(headers.connection).toBe("");
  });

  it("adds none of the security headers the app sets itself (a second copy would be sent)", () => {
    const added = findAll(nginx, "add_header").map((h) => h.args[0]!.toLowerCase());
    for (const { key } of [...STATIC_SECURITY_HEADERS, { key: "Content-Security-Policy" }, { key: "Strict-Transport-Security" }]) expect(added).not.toContain(key.toLowerCase());
    expect(value(http, "server_tokens")).toEqual(["off"]);
  });

  it("limits bodies, time and floods; compresses", () => {
    expect(bytes(value(http, "client_max_body_size")![0]!)).toBeGreaterThanOrEqual(1024 ** 2);
    expect(bytes(value(http, "client_max_body_size")![0]!)).toBeLessThanOrEqual(10 * 1024 ** 2);
    // A search may take its whole budget before the first byte.
    expect(milliseconds(value(server, "proxy_read_timeout")![0]!)).toBeGreaterThan(Number(defaultOf("SEARCH_TIMEOUT_MS")));
    expect(value(http, "limit_req_zone")).toBeDefined();
    expect(value(http, "limit_req_status")).toEqual(["429"]);
    expect(own(locations.find((l) => l.args.join(" ") === "/")!.block!, "limit_req")).toHaveLength(1);
    expect(value(http, "gzip")).toEqual(["on"]);
  });

  it("streams the search page and CSV exports (no buffering), as the app writes them", () => {
    const streamed = ["/search", "/routes/LHR-JFK/snapshots.csv"];
    for (const path of streamed) {
      const location = locations.find((l) =>
        l.args[0] === "=" ? l.args[1] === path : l.args[0] === "~" ? new RegExp(l.args[1]!).test(path) : false,
      );
      expect(location, path).toBeDefined();
      expect(value(location!.block!, "proxy_buffering"), path).toEqual(["off"]);
    }
    expect(fs.existsSync(path.join(root, "app/search/page.tsx"))).toBe(true);
  });

  it("keeps the metrics off the public side", () => {
    const metrics = locations.find((l) => l.args.join(" ") === "= /api/metrics");
    expect(metrics).toBeDefined();
    expect(own(metrics!.block!, "proxy_pass")).toHaveLength(0);
  });
});
