import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const lockDir = join(tmpdir(), "passerelle-pcscd.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * pcscd has one fixed socket path, so only one test file may own it at a time, and vitest runs
 * files in parallel processes. A directory created atomically (mkdir) is the lock; one left by a
 * test process that died is taken over. Returns the release function.
 */
export async function acquirePcscdLock(timeoutMs = 300_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "owner"), `${process.pid}:${process.env.VITEST_POOL_ID ?? ""}`);
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = 0;
    try {
      owner = Number.parseInt(readFileSync(join(lockDir, "owner"), "utf8"), 10);
    } catch {}
    if (owner > 0 && !alive(owner)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`pcscd is held by another test process (${lockDir})`);
    await sleep(250);
  }
}
