import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config/configLoader.js";
import { createLogger } from "./core/logger.js";
import { createDefaultParts } from "./defaultParts.js";
import { GatewayApp, gatewayVersion } from "./gatewayApp.js";
import { parseHardwareConfig } from "./hardware/hardwareConfig.js";

const usage = `passerelle-gateway ${gatewayVersion}

Usage: passerelle-gateway [--config FILE] [--check-config]

  --config FILE    the configuration (default: $PASSERELLE_GATEWAY_CONFIG or /etc/passerelle/gateway.json)
  --check-config   check the configuration, list every problem, and exit
  --help           this text

Environment overrides are listed in deploy/gateway/gateway.example.jsonc.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      "check-config": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const path =
    values.config ?? process.env.PASSERELLE_GATEWAY_CONFIG ?? "/etc/passerelle/gateway.json";
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(path);
    parseHardwareConfig(config.hardware);
  } catch (error) {
    if (error instanceof ConfigError || (error as Error).name === "HardwareError") {
      console.error((error as Error).message);
      return 2;
    }
    throw error;
  }
  if (values["check-config"]) {
    console.log(
      `${path}: configuration is valid (gateway ${config.gatewayId}, centre ${config.centre})`,
    );
    return 0;
  }

  const logger = createLogger(config.logLevel);
  const app = new GatewayApp({
    config,
    logger,
    parts: (context) => createDefaultParts(config, logger, context),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: applying the lock mode and flushing");
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  await app.start();
  return -1; // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: Error) => {
    console.error(`passerelle-gateway failed to start: ${error.message}`);
    process.exit(1);
  },
);
