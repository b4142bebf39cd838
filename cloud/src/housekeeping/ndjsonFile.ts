import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";

/**
 * One archive file being written: NDJSON lines appended page by page, hashed as they go,
 * fsynced and renamed into place at the end, so a crash never leaves a half file under the
 * final name. Refuses to overwrite a file already there (archives are evidence).
 */
export class NdjsonFile {
  private readonly hash = createHash("sha256");
  private lines = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly temporary: string,
  ) {}

  static async create(path: string): Promise<NdjsonFile> {
    // Fails if the final name exists: `wx` on a probe of it, closed at once.
    const probe = await open(
      path,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      0o600,
    );
    await probe.close();
    const temporary = `${path}.partial`;
    const handle = await open(temporary, "w", 0o600);
    return new NdjsonFile(handle, path, temporary);
  }

  async write(records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    const text = `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
    this.hash.update(text);
    this.lines += records.length;
    await this.handle.write(text);
  }

  /** Gives up: removes the partial file and the name it held, so a later run can retry. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.temporary, { force: true });
    await rm(this.path, { force: true });
  }

  /** fsync, rename over the probe; the file's sha256 and line count. */
  async finish(): Promise<{ sha256: string; lines: number }> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporary, this.path);
    return { sha256: this.hash.digest("hex"), lines: this.lines };
  }
}
