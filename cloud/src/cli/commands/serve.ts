import { startCloud } from "../../server.js";
import { exitCodes } from "../cliIo.js";
import type { CliCommand } from "../command.js";
import { serveConfig, serveParseOptions, serveUsage } from "../serveOptions.js";
import { untilStopSignal } from "../stopSignals.js";

/**
 * A start that fails halfway (HTTP port taken after the broker listens) leaves what started
 * open, and startCloud does not close it: the process would stay up with no cloud. Once the CLI
 * has printed the error and set the exit code, nothing is left to save (nothing was received
 * through a cloud that never finished starting), so the process ends. Unref'd: when nothing
 * lingers the process ends by itself first. serve is a process-level command (it owns the
 * signals too): it is not run in-process.
 */
function exitOnceReported(): void {
  setTimeout(() => process.exit(), 500).unref();
}

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
    const cloud = await startCloud(config).catch((error: unknown) => {
      stopSignal.dispose();
      exitOnceReported();
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
