/**
 * Appends to an outbox without end and prints each seq once `append` has returned (i.e. once
 * it is durable). The crash test kills this process with SIGKILL in the middle of the burst.
 *
 *     node --conditions=source --import tsx test/eventOutbox/outboxCrashChild.ts <db path>
 */
import { EventOutbox } from "../../src/eventOutbox/eventOutbox.js";
import { accessEvent } from "./outboxFixtures.js";

const path = process.argv[2];
if (!path) throw new Error("usage: outboxCrashChild.ts <db path>");
const outbox = new EventOutbox({ path });

let n = 0;
for (;;) {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) lines.push(String(outbox.append(accessEvent(++n)).seq));
  // Let the pipe drain between bursts: a seq is printed only after its append returned.
  await new Promise<void>((resolve) =>
    process.stdout.write(`${lines.join("\n")}\n`, () => resolve()),
  );
}
