import os from "node:os";

/**
 * The names this machine answers to: loopback, its host name and its network addresses (IPv6 in
 * brackets, as in a URL). Where a browser may open the app without further configuration.
 */
export function machineHosts(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .flatMap((nic) => (nic && !nic.internal ? [nic.family === "IPv6" ? `[${nic.address}]` : nic.address] : []));
  return [...new Set(["localhost", "127.0.0.1", "[::1]", os.hostname().toLowerCase(), ...addresses])];
}
