import { readFileSync } from "node:fs";
import { SunVerifier } from "@passerelle/protocol";

const hex32 = /^[0-9A-Fa-f]{32}$/;

/**
 * The SUN verification set the cloud checks enrolment SUNs with (docs/hardware.md "NTAG 424
 * DNA keys"): the same file the gateways hold, `{ "version", "metaReadKey",
 * "fileReadDiversifier" }`, written by the provisioning tool from the network master key.
 * A message that names the file, never its content: it holds keys.
 */
export function readSunKeysFile(path: string): SunVerifier {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `SUN keys file ${path}: ${(error as NodeJS.ErrnoException).code ?? "not JSON"}`,
    );
  }
  const { version, metaReadKey, fileReadDiversifier } = parsed;
  if (
    typeof version !== "number" ||
    !Number.isInteger(version) ||
    typeof metaReadKey !== "string" ||
    typeof fileReadDiversifier !== "string" ||
    !hex32.test(metaReadKey) ||
    !hex32.test(fileReadDiversifier)
  ) {
    throw new Error(`SUN keys file ${path}: needs version, metaReadKey and fileReadDiversifier`);
  }
  return new SunVerifier({
    version,
    metaReadKey: Buffer.from(metaReadKey, "hex"),
    fileReadDiversifier: Buffer.from(fileReadDiversifier, "hex"),
  });
}
