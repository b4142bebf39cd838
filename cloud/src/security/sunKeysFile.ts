import { readFileSync } from "node:fs";
import { type SunVerifier, sunVerifierFromKeysFile } from "@passerelle/protocol";

/**
 * The SUN verification set the cloud checks enrolment SUNs with (docs/hardware.md "NTAG 424
 * DNA keys"): the same file the gateways hold. A message that names the file, never its
 * content: it holds keys.
 */
export function readSunKeysFile(path: string): SunVerifier {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `SUN keys file ${path}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
    );
  }
  return sunVerifierFromKeysFile(text, path);
}
