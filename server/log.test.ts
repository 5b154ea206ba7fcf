import { afterEach, expect, it, vi } from "vitest";
import { log } from "./log";
import { currentRequestId, inRequest } from "./request-scope";

afterEach(() => {
  vi.restoreAllMocks();
});

it("writes JSON lines that carry the request id of the request being served", async () => {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
  log.warn("outside any request");
  await inRequest("req-0001", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    log.warn("inside, after an await", { n: 1 });
    expect(currentRequestId()).toBe("req-0001");
  });
  const [outside, inside] = lines.map((line) => JSON.parse(line));
  expect(outside.requestId).toBeUndefined();
  expect(inside).toMatchObject({ level: "warn", msg: "inside, after an await", n: 1, requestId: "req-0001" });
});
