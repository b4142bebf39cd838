import { readFileSync } from "node:fs";
import { type Command, openCommand, ProtocolError, type TrustedKeys } from "@passerelle/protocol";
import type { Logger } from "../core/logger.js";
import { writeFileAtomic } from "../persistence/atomicFile.js";

export interface CommandHandlerOptions {
  gatewayId: string;
  trustedKeys: TrustedKeys;
  now: () => number;
  logger: Logger;
  /** Where executed command ids are remembered until they expire, across restarts. */
  seenFile: string;
  unlock: (doorId: string | undefined, durationMs: number | undefined, command: Command) => void;
  resync: (command: Command) => void;
  /** A refused command, for the event log (never carries the frame itself). */
  onRejected: (code: string, message: string) => void;
}

/**
 * Executes the cloud's signed, expiring commands (remote unlock, resync). A command is refused
 * when its signature, target gateway or lifetime is wrong, or when it was executed before: the
 * ids of executed commands are kept until they expire — on disk, so a restart does not reopen
 * the replay window (a command lives at most five minutes, protocol/src/command.ts).
 */
export class CommandHandler {
  private readonly seen = new Map<string, number>();
  private readonly log: Logger;

  constructor(private readonly options: CommandHandlerOptions) {
    this.log = options.logger.child({ module: "gateway:commands" });
    try {
      const saved = JSON.parse(readFileSync(options.seenFile, "utf8")) as Record<string, number>;
      for (const [id, expiresAt] of Object.entries(saved)) {
        if (typeof expiresAt === "number") this.seen.set(id, expiresAt);
      }
    } catch {
      // First start, or an unreadable file: nothing remembered (commands expire within minutes).
    }
  }

  receive(frame: Buffer): void {
    const now = this.options.now();
    for (const [id, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(id);
    let command: Command;
    try {
      command = openCommand(frame, {
        trustedKeys: this.options.trustedKeys,
        gatewayId: this.options.gatewayId,
        now,
        alreadySeen: (id) => this.seen.has(id),
      });
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : "command.invalid";
      const message = (error as Error).message;
      this.log.warn({ code, err: message }, "command refused");
      this.options.onRejected(code, message);
      return;
    }
    // Remembered before it runs: a crash mid-command must not let it run twice.
    this.seen.set(command.id, Date.parse(command.expiresAt));
    this.persist();
    this.log.info(
      { id: command.id, action: command.action, door: command.door, by: command.issuedBy },
      "command accepted",
    );
    if (command.action === "unlock") this.options.unlock(command.door, command.durationMs, command);
    else this.options.resync(command);
  }

  private persist(): void {
    try {
      writeFileAtomic(this.options.seenFile, JSON.stringify(Object.fromEntries(this.seen)));
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "cannot persist executed command ids");
    }
  }
}
