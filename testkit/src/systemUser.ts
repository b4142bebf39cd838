import { readFile } from "node:fs/promises";

export interface SystemUser {
  readonly uid: number;
  readonly gid: number;
}

/** Reads `name:password:uid:gid:…` lines; no NSS, since system users live in /etc/passwd. */
export function parsePasswd(text: string, name: string): SystemUser | undefined {
  for (const line of text.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

export async function lookupSystemUser(name: string, passwdFile = "/etc/passwd") {
  return parsePasswd(await readFile(passwdFile, "utf8"), name);
}
