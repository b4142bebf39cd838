import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Id } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import {
  confirmEnrolment,
  removeSecondFactor,
  secondFactorState,
  startEnrolment,
} from "../../../accounts/secondFactor.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { getUser } from "../../../domain/users.js";
import type { SealKey } from "../../../security/sealedSecret.js";
import { principalOf } from "../../plugins/accessControl.js";
import { actorOf } from "../views/centreScope.js";
import { WindowLimiter } from "./windowLimiter.js";

const staff = ["manager", "coordinator"] as const;
/** Six digits from the app, or a recovery code ("abcde-fghjk"); never logged. */
export const FactorCode = Type.String({ minLength: 6, maxLength: 32 });
const StateView = Type.Object({
  state: Type.Union([Type.Literal("none"), Type.Literal("pending"), Type.Literal("enabled")]),
  recoveryCodesLeft: Type.Integer(),
});

/**
 * A staff login's optional TOTP second factor (docs/security.md): start an enrolment (the key
 * is shown this once), confirm it with a first code (recovery codes shown this once), remove
 * it with a code; a coordinator removes the factor of someone who lost their phone.
 */
export const secondFactorRoutes: FastifyPluginAsyncTypebox<{
  deps: ServiceDeps;
  seal: SealKey;
}> = async (app, { deps, seal }) => {
  // A code is 6 digits: guessing is bounded by the limiter (and the login's own throttle).
  const codeTries = new WindowLimiter(deps.clock, 10, 15 * 60_000);

  app.get(
    "/me/second-factor",
    {
      schema: {
        tags: ["auth"],
        summary: "Whether my login has a second factor, and recovery codes left",
        response: { 200: StateView },
      },
      config: { access: staff },
    },
    async (request) => secondFactorState(deps, principalOf(request).userId),
  );

  app.post(
    "/me/second-factor",
    {
      schema: {
        tags: ["auth"],
        summary: "Start enrolling an authenticator app; its key is shown this once",
        response: {
          201: Type.Object({
            otpauthUri: Type.String({ description: "otpauth://totp/… for a QR code" }),
            secret: Type.String({ description: "the same key in base32, to type by hand" }),
          }),
        },
      },
      config: { access: staff },
    },
    async (request, reply) =>
      reply.status(201).send(await startEnrolment(deps, seal, principalOf(request).userId)),
  );

  app.post(
    "/me/second-factor/confirm",
    {
      schema: {
        tags: ["auth"],
        summary: "Turn the second factor on with the app's first code; recovery codes shown once",
        body: Type.Object({ code: FactorCode }, { additionalProperties: false }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      codeTries.take(userId, reply);
      return confirmEnrolment(deps, seal, userId, request.body.code);
    },
  );

  app.post(
    "/me/second-factor/remove",
    {
      schema: {
        tags: ["auth"],
        summary: "Remove my second factor, proved with a current code or a recovery code",
        body: Type.Object({ code: Type.Optional(FactorCode) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      codeTries.take(userId, reply);
      await removeSecondFactor(deps, seal, actorOf(request), userId, request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/staff/:userId/second-factor/remove",
    {
      schema: {
        tags: ["staff"],
        summary: "Remove someone's second factor (lost phone and codes); coordinator only",
        params: Type.Object({ userId: Id }),
        response: { 204: Type.Null() },
      },
      config: { access: ["coordinator"] },
    },
    async (request, reply) => {
      await getUser(deps, request.params.userId);
      await removeSecondFactor(deps, seal, actorOf(request), request.params.userId, undefined);
      return reply.status(204).send(null);
    },
  );
};
