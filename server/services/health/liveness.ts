import packageJson from "@/package.json";

export interface Liveness {
  status: "ok";
  version: string;
  uptimeSeconds: number;
}

/**
 * The process is up and its event loop turns: all a liveness probe asks. No database, cache or
 * network: a dependency that is down must not get a healthy process restarted (readiness is
 * /api/health/ready).
 */
export function liveness(): Liveness {
  return { status: "ok", version: packageJson.version, uptimeSeconds: Math.round(process.uptime()) };
}
