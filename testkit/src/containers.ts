import { TestkitError } from "./errors.js";

type Testcontainers = typeof import("testcontainers");

/**
 * Loaded only when a Docker engine answers, so machines without Docker never pay for (or need)
 * the testcontainers dependency tree.
 */
export async function loadTestcontainers(): Promise<Testcontainers> {
  try {
    return await import("testcontainers");
  } catch (error) {
    throw new TestkitError(
      "service.start-failed",
      "a Docker engine answers but the testcontainers package cannot be loaded " +
        "(npm install -D -w testkit testcontainers)",
      { cause: error },
    );
  }
}
