import { readFile } from "node:fs/promises";
import { HardwareError } from "./ports.js";

/** Reads a 16-byte AES key written as 32 hex digits (whitespace ignored); refuses anything else. */
export async function readKeyFile(path: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new HardwareError("config-invalid", `key file ${path}: ${(error as Error).message}`);
  }
  const hex = text.replace(/\s+/g, "");
  // The message never repeats the file's content: it is a key.
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) {
    throw new HardwareError("config-invalid", `key file ${path} must hold 32 hex digits`);
  }
  return Buffer.from(hex, "hex");
}
