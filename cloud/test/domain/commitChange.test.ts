import { describe, expect, it } from "vitest";
import { commitChange } from "../../src/domain/commitChange.js";
import { DomainError } from "../../src/domain/domainError.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import { sqliteLocks } from "../../src/store/exclusiveLocks.js";
import type { Store } from "../../src/store/openStore.js";
import { StoreError } from "../../src/store/storeError.js";

/** A store whose write runs the work with a dummy executor, or fails as told. */
function fakeStore(failure?: unknown): Store {
  return {
    engine: "sqlite",
    db: {} as Store["db"],
    write: async (work) => {
      if (failure !== undefined) throw failure;
      return work({} as Store["db"]);
    },
    forUpdate: (query) => query,
    locks: sqliteLocks(),
    migrate: async () => [],
    close: async () => {},
  };
}

describe("commitChange", () => {
  it("audits inside the transaction and notifies after it, once per centre", async () => {
    const calls: string[] = [];
    const deps = serviceDeps(fakeStore(), {
      hooks: {
        audit: (entry) => {
          calls.push(`audit:${entry.action}`);
        },
        onAccessRulesChanged: (centres) => {
          calls.push(`changed:${centres.join(",")}`);
        },
      },
    });
    const result = await commitChange(deps, async () => {
      calls.push("work");
      return {
        result: 42,
        audit: [{ actor: "user:u", action: "x.do", subject: "x:1", detail: {} }],
        accessChangedAt: ["redu", "liege", "redu"],
      };
    });
    expect(result).toBe(42);
    expect(calls).toEqual(["work", "audit:x.do", "changed:redu,liege"]);
  });

  it("does not notify when the change fails", async () => {
    const changed: string[][] = [];
    const deps = serviceDeps(fakeStore(), {
      hooks: { audit: () => {}, onAccessRulesChanged: (c) => changed.push([...c]) },
    });
    await expect(
      commitChange(deps, async () => {
        throw new DomainError("invalid", "no", "x");
      }),
    ).rejects.toThrow("no");
    expect(changed).toEqual([]);
  });

  it("turns a busy store into a conflict, never a server error", async () => {
    const deps = serviceDeps(fakeStore(new StoreError("busy", "locked")));
    const error = await commitChange(deps, async () => ({ result: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("conflict");
  });

  it("keeps a committed change when the notification hook throws", async () => {
    const deps = serviceDeps(fakeStore(), {
      hooks: {
        audit: () => {},
        onAccessRulesChanged: () => {
          throw new Error("compiler down");
        },
      },
    });
    await expect(
      commitChange(deps, async () => ({ result: "ok", accessChangedAt: ["redu"] })),
    ).resolves.toBe("ok");
  });
});
