import { ensureConsoleBuilt } from "../scripts/ensureBuilt.js";

/** The browser tests drive the console the cloud serves: build it first when missing or stale. */
export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
