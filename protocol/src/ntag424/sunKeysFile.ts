import { SunVerifier } from "./cardKeys.js";

const hex32 = /^[0-9A-Fa-f]{32}$/;

/**
 * The SUN verification set from the keys file the provisioning tool writes from the network
 * master key (docs/hardware.md "NTAG 424 DNA keys"), the same file on a gateway and on the cloud:
 * `{ "version": 1, "metaReadKey": "<32 hex>", "fileReadDiversifier": "<32 hex>" }`.
 * `source` names the file in the error; the message never carries the content: it holds keys.
 */
export function sunVerifierFromKeysFile(text: string, source: string): SunVerifier {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`SUN keys file ${source}: not JSON`);
  }
  const { version, metaReadKey, fileReadDiversifier } = parsed ?? {};
  if (
    typeof version !== "number" ||
    !Number.isInteger(version) ||
    typeof metaReadKey !== "string" ||
    typeof fileReadDiversifier !== "string" ||
    !hex32.test(metaReadKey) ||
    !hex32.test(fileReadDiversifier)
  ) {
    throw new Error(`SUN keys file ${source}: needs version, metaReadKey and fileReadDiversifier`);
  }
  return new SunVerifier({
    version,
    metaReadKey: Buffer.from(metaReadKey, "hex"),
    fileReadDiversifier: Buffer.from(fileReadDiversifier, "hex"),
  });
}
