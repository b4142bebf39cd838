import { userInfo } from "node:os";
import type { Actor } from "../../domain/serviceDeps.js";
import { grantStaffRole } from "../../domain/staff.js";
import { createUser } from "../../domain/users.js";
import { exitCodes, UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import { readPassword } from "../readPassword.js";
import { cliDeps, openCliStore, storeArgs, storeOptions, storeUsage } from "../storeArgs.js";

/** Who ran a CLI change, in the audit log: the operating-system account. */
export function cliActor(): Actor {
  let name = "operator";
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry (some containers): keep "operator"
  }
  return `cli:${name}`;
}

/** The first login of a new network: a coordinator (staff only, no member, no door rights). */
export const createCoordinatorCommand: CliCommand = {
  name: "create-coordinator",
  summary: "create a coordinator login (password from PASSERELLE_PASSWORD, stdin or a prompt)",
  help: ["  --email E             the login's e-mail address", ...storeUsage],
  options: { email: { type: "string" }, ...storeOptions },
  async run(values, io) {
    const email = str(values, "email");
    if (email === undefined) throw new UsageError("--email is required");
    const args = storeArgs(values, io.env);
    const password = await readPassword(io, `Password for ${email}: `);
    const store = await openCliStore(args);
    try {
      const deps = cliDeps(store);
      const actor = cliActor();
      const user = await createUser(deps, actor, { email, password });
      await grantStaffRole(deps, actor, { userId: user.id, role: "coordinator" });
      io.out(`coordinator created: ${user.email} (user ${user.id})`);
      return exitCodes.ok;
    } finally {
      await store.close();
    }
  },
};
