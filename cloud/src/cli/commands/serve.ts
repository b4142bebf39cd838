import { startCloud } from "../../server.js";
import { exitCodes } from "../cliIo.js";
import type { CliCommand } from "../command.js";
import { serveConfig, serveParseOptions, serveUsage } from "../serveOptions.js";
import { untilStopSignal } from "../stopSignals.js";

/**
 * Runs the cloud in the foreground (docs/operations.md "Running the cloud"; systemd unit in
 * deploy/cloud/): HTTP API and console, broker or broker link, ingest, bundles. Resolves with 0
 * once a SIGTERM or SIGINT has stopped it cleanly.
 */
export const serveCommand: CliCommand = {
  name: "serve",
  summary: "run the cloud: HTTP API and console, MQTT broker or link, ingest (until SIGTERM)",
  help: serveUsage,
  options: serveParseOptions,
  async run(values, io) {
    const config = serveConfig(values, io.env);
    // Listening before the start: a signal during a slow start (migrations, compiling every
    // centre's bundle) stops what has started instead of killing it halfway.
    const stopSignal = untilStopSignal((signal) => {
      io.err(`${signal} again: exiting without waiting for the clean stop`);
    });
    // A start that fails halfway (HTTP port taken) stops what it had started, so the process
    // ends by itself once the error is reported.
    const cloud = await startCloud(config).catch((error: unknown) => {
      stopSignal.dispose();
      throw error;
    });
    const brokerUrl =
      config.broker.kind === "embedded"
        ? `mqtt://${config.broker.config.host}:${cloud.brokerPort}`
        : config.broker.config.url;
    cloud.logger.info(
      { http: cloud.httpUrl, httpHost: config.http.host, broker: brokerUrl, pid: process.pid },
      `passerelle cloud listening on ${cloud.httpUrl}, MQTT ${brokerUrl}`,
    );
    const signal = await stopSignal.received;
    cloud.logger.info({ signal }, "stopping: committing and acking the events received");
    await cloud.stop();
    cloud.logger.info({ signal }, "stopped");
    stopSignal.stopped();
    return exitCodes.ok;
  },
};
