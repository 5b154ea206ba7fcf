import os from "node:os";
import { expect, it } from "vitest";
import { linkUrlAllowed, signInIdentifier } from "./identifier";

it("spells every form of one mailbox the same, and refuses what could reach another", () => {
  for (const spelling of ["ann@example.com", " Ann@Example.COM ", "ａｎｎ@ｅｘａｍｐｌｅ.com", "ANN@EXAMPLE.COM\n"]) {
    expect(signInIdentifier(spelling)).toBe("ann@example.com");
  }
  for (const other of ["ann@example.com,evil@example.net", '"evil@example.net"@example.com', "ann@@example.com", "ann @example.com", "ann", "ann@localhost", "", `${"a".repeat(250)}@example.com`]) {
    expect(signInIdentifier(other)).toBeNull();
  }
});

it("lets a sign-in link point only at this app: AUTH_URL's origin, else a name this machine answers to", () => {
  expect(linkUrlAllowed("http://localhost:3000/api/auth/callback/email?token=t", undefined)).toBe(true);
  expect(linkUrlAllowed("http://127.0.0.1:3000/api/auth/callback/email", undefined)).toBe(true);
  expect(linkUrlAllowed("http://[::1]:3000/api/auth/callback/email", undefined)).toBe(true);
  expect(linkUrlAllowed(`http://${os.hostname()}:3000/api/auth/callback/email`, undefined)).toBe(true);
  expect(linkUrlAllowed("http://evil.example/api/auth/callback/email", undefined)).toBe(false);
  expect(linkUrlAllowed("https://flights.example.com/api/auth/callback/email", "https://flights.example.com")).toBe(true);
  expect(linkUrlAllowed("http://flights.example.com/api/auth/callback/email", "https://flights.example.com")).toBe(false);
  expect(linkUrlAllowed("http://localhost:3000/api/auth/callback/email", "https://flights.example.com")).toBe(false);
});
