import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trackDirectory, untrackDirectory } from "./exitCleanup.js";

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

const NAME = /^passerelle-[a-z]+-(\d+)-/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A run killed with SIGKILL cannot remove its directories (its children do die, by
 * parent-death signal), and a PostgreSQL cluster is ~40 MB. Directory names carry the owner's
 * pid, so the next run removes those whose owner is gone.
 */
async function removeAbandoned(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const entry of entries) {
    const owner = NAME.exec(entry)?.[1];
    if (owner !== undefined && !isAlive(Number(owner))) {
      await rm(join(root, entry), { recursive: true, force: true }).catch(() => {});
    }
  }
}

let sweep: Promise<void> | undefined;

/** A fresh directory under the OS temp dir, removed on remove() or, failing that, at exit. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  sweep ??= removeAbandoned(tmpdir());
  await sweep;
  const path = await mkdtemp(join(tmpdir(), `passerelle-${prefix}-${process.pid}-`));
  trackDirectory(path);
  return {
    path,
    async remove() {
      await rm(path, { recursive: true, force: true, maxRetries: 3 });
      untrackDirectory(path);
    },
  };
}
