import { expect, it } from "vitest";
import { pagePolicy, signInFormTargets } from "./security";

it("lets forms post to the app only, and to the sign-in providers configured (their buttons redirect there)", () => {
  const directive = (policy: string) => policy.split("; ").find((part) => part.startsWith("form-action"));
  expect(directive(pagePolicy("n", { development: false }))).toBe("form-action 'self'");
  expect(signInFormTargets({ github: false, google: false })).toEqual([]);
  const both = signInFormTargets({ github: true, google: true });
  expect(directive(pagePolicy("n", { development: false, formTargets: both }))).toBe("form-action 'self' https://github.com https://accounts.google.com");
  expect(directive(pagePolicy("n", { development: false, formTargets: signInFormTargets({ github: false, google: true }) }))).toBe("form-action 'self' https://accounts.google.com");
});
