import { expect, it } from "vitest";
import { SingleFlight } from "./single-flight";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

it("runs a task once for concurrent callers of one key, and again once it has settled", async () => {
  const flight = new SingleFlight<number, never>();
  let runs = 0;
  const task = async () => (await tick(), ++runs);
  const a = flight.run("k", task);
  const b = flight.run("k", task);
  const other = flight.run("other", task);
  expect([a.joined, b.joined, other.joined]).toEqual([false, true, false]);
  expect(await a.promise).toBe(await b.promise);
  await other.promise;
  expect(runs).toBe(2);
  expect(await flight.run("k", task).promise).toBe(3);
});

it("replays missed events to a late joiner, then passes on the rest", async () => {
  const flight = new SingleFlight<string, string>();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first: string[] = [];
  const late: string[] = [];
  const run = flight.run(
    "k",
    async (emit) => {
      emit("one");
      await gate;
      emit("two");
      return "done";
    },
    (e) => first.push(e),
  );
  await tick();
  const joined = flight.run("k", async () => "never", (e) => late.push(e));
  expect(late).toEqual(["one"]);
  release();
  expect(await joined.promise).toBe("done");
  await run.promise;
  expect(first).toEqual(["one", "two"]);
  expect(late).toEqual(["one", "two"]);
});

it("keeps a throwing listener from failing the run or the other listeners", async () => {
  const errors: unknown[] = [];
  const flight = new SingleFlight<number, number>((error) => errors.push(error));
  const heard: number[] = [];
  const run = flight.run("k", async (emit) => (emit(1), 7), () => {
    throw new Error("page gone");
  });
  flight.run("k", async () => 0, (e) => heard.push(e));
  expect(await run.promise).toBe(7);
  expect(heard).toEqual([1]);
  expect(errors).toHaveLength(1);
});

it("lets a failed run fail every caller, and the next call start afresh", async () => {
  const flight = new SingleFlight<number, never>();
  const failing = flight.run("k", async () => {
    await tick();
    throw new Error("upstream");
  });
  const joined = flight.run("k", async () => 1);
  await expect(failing.promise).rejects.toThrow("upstream");
  await expect(joined.promise).rejects.toThrow("upstream");
  expect(await flight.run("k", async () => 2).promise).toBe(2);
});
