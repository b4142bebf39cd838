import { execFile } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { findExecutable } from "./binaries.js";
import { TestkitError } from "./errors.js";

const run = promisify(execFile);

/**
 * Mosquitto 2.0's default hash: `$7$` = PBKDF2-HMAC-SHA512, then iterations, a 12-byte salt and
 * a 64-byte hash, both base64 (mosquitto src/password_mosq.c). Used when mosquitto_passwd is not
 * installed, e.g. on a machine that only reaches Mosquitto through Docker.
 */
export function mosquittoPasswordHash(password: string, salt = randomBytes(12), iterations = 101) {
  const hash = pbkdf2Sync(password, salt, iterations, 64, "sha512");
  return `$7$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, "utf8")).split("\n").filter((line) => line.length > 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export interface PasswordEntryOptions {
  /** Path of mosquitto_passwd; null forces the built-in hash. Default: looked up on PATH. */
  readonly mosquittoPasswd?: string | null;
}

/** Adds or replaces `username` in a Mosquitto password file, creating the file if needed. */
export async function writeMosquittoPasswordEntry(
  file: string,
  username: string,
  password: string,
  options: PasswordEntryOptions = {},
): Promise<void> {
  if (username.length === 0 || /[:\n]/.test(username) || password.includes("\n")) {
    throw new TestkitError("config.invalid", `invalid Mosquitto username or password: ${username}`);
  }
  const tool =
    options.mosquittoPasswd === undefined
      ? findExecutable("mosquitto_passwd", process.env, ["/usr/bin"])
      : (options.mosquittoPasswd ?? undefined);
  if (tool !== undefined) {
    // -b (batch) only updates an existing file; appending nothing creates it and keeps the rest.
    await writeFile(file, "", { flag: "a", mode: 0o600 });
    await run(tool, ["-b", file, username, password]);
    return;
  }
  const others = (await readLines(file)).filter((line) => !line.startsWith(`${username}:`));
  const entry = `${username}:${mosquittoPasswordHash(password)}`;
  await writeFile(file, `${[...others, entry].join("\n")}\n`, { mode: 0o600 });
}
