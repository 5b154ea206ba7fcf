import net from "node:net";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSmtp, smtpChecker } from "./smtp-check";

/**
 * The SMTP check against real SMTP servers on loopback (smtp-server, what test/smtp.ts runs):
 * one that takes anyone, one that wants a login, a port where nothing listens, and one that
 * takes the connection and never greets.
 */

interface Server {
  url: string;
  connections: number;
  close(): Promise<void>;
}

async function smtpServer(options: { login?: { user: string; pass: string } } = {}): Promise<Server> {
  const state = { connections: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !options.login,
    // Plain-text login over loopback, for the test: no TLS here.
    allowInsecureAuth: true,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass) return callback(null, { user: auth.username });
      callback(new Error("535 Authentication failed"));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe("checkSmtp", () => {
  let open: Server;
  let guarded: Server;
  let silent: net.Server;
  let silentPort = 0;
  let closedPort = 0;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    open = await smtpServer();
    guarded = await smtpServer({ login: { user: "mailer", pass: "right-horse-battery" } });
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as AddressInfo).port;
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([open.close(), guarded.close(), new Promise<void>((resolve) => silent.close(() => resolve()))]);
  });

  it("is ok when the server greets and answers EHLO, without sending anything", async () => {
    const health = await checkSmtp(open.url, "smtp", 2_000);
    expect(health).toMatchObject({ status: "ok", delivery: "smtp", server: open.url, error: null });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("logs in when the URL has credentials: ok with the right ones", async () => {
    const url = `smtp://mailer:right-horse-battery@${new URL(guarded.url).host}`;
    expect(await checkSmtp(url, "smtp", 2_000)).toMatchObject({ status: "ok", server: guarded.url });
  });

  it("is down when the login is refused, and the password is not in the answer", async () => {
    const url = `smtp://mailer:wrong-horse-staple@${new URL(guarded.url).host}`;
    const health = await checkSmtp(url, "smtp", 2_000);
    expect(health.status).toBe("down");
    expect(health.error).toMatch(/535|auth/i);
    expect(JSON.stringify(health)).not.toContain("wrong-horse-staple");
  });

  it("is down when nothing listens", async () => {
    const health = await checkSmtp(`smtp://127.0.0.1:${closedPort}`, "smtp", 2_000);
    expect(health).toMatchObject({ status: "down", latencyMs: null });
    expect(health.error).toMatch(/ECONNREFUSED/);
  });

  it("is down, with a timeout, when the server never greets", async () => {
    const health = await checkSmtp(`smtp://127.0.0.1:${silentPort}`, "smtp", 300);
    expect(health.status).toBe("down");
    expect(health.error).toMatch(/greeting|time/i);
  });

  it("is disabled without EMAIL_SERVER, saying where email goes instead", async () => {
    expect(await checkSmtp(undefined, "outbox", 2_000)).toMatchObject({ status: "disabled", server: null, note: expect.stringMatching(/outbox/) });
    expect(await checkSmtp(undefined, "none", 2_000)).toMatchObject({ status: "disabled", note: expect.stringMatching(/no email is sent/) });
  });

  it("smtpChecker keeps an answer for its time: one connection for several polls, a new one after", async () => {
    let now = 0;
    const check = smtpChecker(30_000, () => now);
    const before = open.connections;
    const [a, b] = await Promise.all([check(open.url, "smtp", 2_000), check(open.url, "smtp", 2_000)]);
    expect(await check(open.url, "smtp", 2_000)).toBe(a);
    expect(b).toBe(a);
    expect(open.connections - before).toBe(1);
    now += 30_000;
    expect((await check(open.url, "smtp", 2_000)).status).toBe("ok");
    expect(open.connections - before).toBe(2);
  });
});
