import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { generateSigningKeyPair, privateKeyFromPem, signDocument } from "../src/index.js";

/*
 * Finding 12 of issue 13: an outsider must be able to check a bundle with openssl from
 * protocol/README.md alone. The README's commands (all but the mosquitto_sub that fetches the
 * frame) are run here as written, on a frame signed by the protocol's own code.
 */

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "passerelle-openssl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readmeCommands(): string {
  const section = readme.split("## Checking a bundle with openssl")[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  // Drop the mosquitto_sub command (and its continuation line): the frame is written below.
  return block.replace(/^mosquitto_sub[^\n]*\\\n[^\n]*\n/m, "");
}

it.skipIf(process.env.CI !== "true" && !hasOpenssl())(
  "verifies a signed bundle frame and derives its keyId with the README's openssl commands",
  () => {
    const pair = generateSigningKeyPair();
    writeFileSync(join(dir, "bundle-signing-key.pub.pem"), pair.publicKeyPem);
    const body = '{"centre":"redu","text":"a \\n in a string","version":8}';
    const frame = signDocument("bundle.full", body, privateKeyFromPem(pair.privateKeyPem));
    writeFileSync(join(dir, "frame.bin"), frame);
    const commands = readmeCommands();
    expect(commands).toContain("openssl pkeyutl -verify");
    const output = execFileSync("bash", ["-euo", "pipefail", "-c", commands], {
      cwd: dir,
      encoding: "utf8",
    });
    const keyId = JSON.parse(frame.subarray(0, frame.indexOf(0x0a)).toString()).keyId;
    expect(output).toContain("Signature Verified Successfully");
    expect(output.trim().split("\n").at(-1)).toBe(keyId);
  },
);

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"]);
    return true;
  } catch {
    console.warn("openssl not found: the README's bundle check is not exercised");
    return false;
  }
}
