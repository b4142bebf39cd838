import { type GatewayEvent, validators } from "@passerelle/protocol";

/**
 * What the cloud would refuse in one event, or null when it matches the protocol's schema.
 * The problems name the fields and the rule broken, never the values (no badge data in logs).
 */
export function eventProblem(event: unknown): string | null {
  const batch = { events: [event] };
  if (validators.events.check(batch)) return null;
  return validators.events
    .errors(batch, 3)
    .map((error) => error.replace(/^\/events\/0(?=[/:])/, "").replace(/^:/, "/:"))
    .join("; ");
}

/** A stored body back to an event, with what is wrong with it if anything. */
export function parseStoredEvent(
  body: string,
): { event: GatewayEvent; problem: null } | { event: null; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { event: null, problem: "body is not JSON" };
  }
  const problem = eventProblem(parsed);
  return problem === null ? { event: parsed as GatewayEvent, problem } : { event: null, problem };
}
