import { type Command, signCommand, topicFor } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { MqttBus } from "../broker/mqttBus.js";
import type { CloudSigningKey } from "./signingKeyFile.js";

/** Sends commands to gateways; what the HTTP routes see of it. */
export interface GatewayCommandSender {
  /** Resolves once the broker took the signed command (QoS 1); rejects when it could not. */
  send(command: Command): Promise<void>;
}

/**
 * Signs a command with the cloud's Ed25519 key (the key bundles are signed with, which every
 * gateway trusts from provisioning) and publishes it on the gateway's `cmd` topic, QoS 1, not
 * retained: a command is for now, and an old one must never be replayed to a reconnecting
 * gateway by the broker. The gateway verifies signature, target, door and lifetime
 * (gateway/src/commands/commandHandler.ts).
 */
export class CommandPublisher implements GatewayCommandSender {
  private readonly log: Logger;

  constructor(
    private readonly deps: {
      bus: MqttBus;
      signingKey: Pick<CloudSigningKey, "privateKey">;
      logger: Logger;
      baseTopic?: string;
    },
  ) {
    this.log = deps.logger.child({ module: "cloud:commands" });
  }

  async send(command: Command): Promise<void> {
    const frame = signCommand(command, this.deps.signingKey.privateKey);
    await this.deps.bus.publish(topicFor(command.gateway, "command", this.deps.baseTopic), frame, {
      qos: 1,
    });
    this.log.info(
      { id: command.id, gatewayId: command.gateway, action: command.action, door: command.door },
      "command sent",
    );
  }
}
