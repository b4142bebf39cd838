import { expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/openStore.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

/** Resolves when `release()` is called: work that holds a lock as long as the test wants. */
function held() {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

describeOnEngines(engines, "single-runner work (store.locks)", (harness) => {
  /** Two processes' stores on one database (PostgreSQL); the one store on SQLite. */
  async function twoStores(): Promise<[Store, Store, () => Promise<void>]> {
    const url = await harness.freshDatabaseUrl?.();
    if (url === undefined) {
      const store = await harness.freshStore();
      return [store, store, async () => {}];
    }
    const first = await openStore({ postgresUrl: url });
    const second = await openStore({ postgresUrl: url, migrate: false });
    return [first, second, async () => Promise.all([first.close(), second.close()]).then(() => {})];
  }

  it("runs a named task in one place at a time: the other waits, or skips when it only tries", async () => {
    const [one, two, close] = await twoStores();
    try {
      const first = held();
      const order: string[] = [];
      const running = one.locks.exclusive("bundle:redu", async () => {
        order.push("one starts");
        await first.done;
        order.push("one ends");
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await two.locks.tryExclusive("bundle:redu", async () => "ran")).toEqual({
        ran: false,
      });
      // Another name is free meanwhile.
      expect(await two.locks.tryExclusive("bundle:ciney", async () => "ran")).toEqual({
        ran: true,
        value: "ran",
      });
      const waiting = two.locks.exclusive("bundle:redu", async () => {
        order.push("two runs");
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(order).toEqual(["one starts"]);
      first.release();
      await Promise.all([running, waiting]);
      expect(order).toEqual(["one starts", "one ends", "two runs"]);
    } finally {
      await close();
    }
  });

  it("frees the lock when the work fails", async () => {
    const [one, two, close] = await twoStores();
    try {
      await expect(
        one.locks.exclusive("month-tasks", async () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await two.locks.tryExclusive("month-tasks", async () => 1)).toEqual({
        ran: true,
        value: 1,
      });
    } finally {
      await close();
    }
  });
});
