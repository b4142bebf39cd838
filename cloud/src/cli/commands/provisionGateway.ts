import { pino } from "pino";
import { loadOrCreateSigningKey } from "../../bundles/signingKeyFile.js";
import { provisionGateway } from "../../domain/gateways.js";
import { exitCodes, UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import {
  cliDeps,
  openCliStore,
  requireDataDir,
  storeArgs,
  storeOptions,
  storeUsage,
} from "../storeArgs.js";
import { cliActor } from "./createCoordinator.js";

/**
 * Registers a gateway and prints its broker login once (the cloud keeps only a hash),
 * with the public key the gateway verifies bundles with. `--json` for install scripts.
 */
export const provisionGatewayCommand: CliCommand = {
  name: "provision-gateway",
  summary: "register a gateway of a centre and print its MQTT username and secret, once",
  help: [
    "  --centre C            the centre the gateway serves",
    "  --id G                the gateway's id (a slug; also its MQTT username)",
    "  --name N              a display name (default: the id)",
    "  --json                print {username, secret, centreId, publicKeyPem} as JSON",
    ...storeUsage,
  ],
  options: {
    centre: { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    json: { type: "boolean" },
    ...storeOptions,
  },
  async run(values, io) {
    const centreId = str(values, "centre");
    const id = str(values, "id");
    if (centreId === undefined) throw new UsageError("--centre is required");
    if (id === undefined) throw new UsageError("--id is required");
    const args = storeArgs(values, io.env);
    const dataDir = requireDataDir(args);
    const store = await openCliStore(args);
    try {
      const name = str(values, "name");
      const credentials = await provisionGateway(cliDeps(store), cliActor(), {
        id,
        centreId,
        ...(name === undefined ? {} : { name }),
      });
      const key = await loadOrCreateSigningKey(dataDir, pino({ level: "silent" }));
      if (values.json === true) {
        io.out(
          JSON.stringify({
            username: credentials.username,
            secret: credentials.secret,
            centreId,
            publicKeyPem: key.publicKeyPem,
          }),
        );
      } else {
        io.out(`gateway ${credentials.gateway.id} provisioned for centre ${centreId}`);
        io.out(`MQTT username: ${credentials.username}`);
        io.out(`MQTT secret:   ${credentials.secret}`);
        io.out("The secret is shown this once; put it in the gateway's configuration now.");
        io.out(`Bundle signing public key (key id ${key.keyId}):`);
        io.out(key.publicKeyPem.trimEnd());
      }
      return exitCodes.ok;
    } finally {
      await store.close();
    }
  },
};
