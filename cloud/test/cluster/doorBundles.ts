import {
  applyDelta,
  type DeltaBundle,
  type FullBundle,
  openBundle,
  type TrustedKeys,
} from "@passerelle/protocol";

/**
 * What a door holds, as a gateway keeps it: the newest full bundle, moved on by each delta that
 * starts at it (protocol's applyDelta), signatures checked. Used by the cluster tests and the
 * load run to see a change arrive at a door.
 */
export class DoorBundles {
  private held: FullBundle | undefined;

  constructor(
    private readonly trustedKeys: TrustedKeys,
    private readonly centre: string,
  ) {}

  receive(kind: "bundle" | "bundleDelta", payload: Buffer): void {
    const options = {
      trustedKeys: this.trustedKeys,
      centre: this.centre,
      now: Date.now(),
      heldVersion: this.held?.version ?? null,
    };
    try {
      if (kind === "bundle") {
        this.held = openBundle(payload, options) as FullBundle;
      } else if (this.held) {
        this.held = applyDelta(this.held, openBundle(payload, options) as DeltaBundle);
      }
    } catch {
      // Not newer, or a delta from another version: a gateway ignores it too.
    }
  }

  /** The status of the member's first credential at this door, if it holds one. */
  statusOf(memberId: string): string | undefined {
    return this.held?.credentials.find((credential) => credential.member === memberId)?.status;
  }

  /** How many of the member's credentials are active at this door. */
  activeOf(memberId: string): number {
    return (this.held?.credentials ?? []).filter(
      (credential) => credential.member === memberId && credential.status === "active",
    ).length;
  }
}
