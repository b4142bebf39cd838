/**
 * The contract's versions (protocol/README.md "Contract versions"). The base topic stays
 * `passerelle/v1` for all of them: a version names what gateways and the cloud exchange on it,
 * so an operator can tell which gateways a cloud upgrade keeps working.
 *
 * The rule from 1.2 on: a cloud serves gateways of its own contract version and of the one
 * before it. What a gateway sends may only gain optional fields (the cloud accepts the older
 * form); what the cloud sends a gateway (bundles, deltas, commands, acks) may only carry what
 * the previous version's gateway schemas accept, since those schemas refuse unknown fields.
 * A change that cannot follow the rule takes a new base topic (`passerelle/v2`).
 */
export interface ContractVersion {
  readonly version: string;
  /** The commit of the repository that first carried it. */
  readonly since: string;
  readonly date: string;
  readonly changes: string;
  /** Which older gateways a cloud of this version serves. */
  readonly servesGatewaysOf: string;
}

export const contractVersions: readonly ContractVersion[] = [
  {
    version: "1.0",
    since: "eccb8e3",
    date: "2026-11-22",
    changes:
      "topics, event batches and application acks, status, occupancy, bundle request; full bundles and deltas with one object per credential; signed commands",
    servesGatewaysOf: "1.0",
  },
  {
    version: "1.1",
    since: "f065aab",
    date: "2026-12-01",
    changes:
      "bundles and deltas carry credentials as columns (the compact wire form); status may carry outboxQuarantined (optional)",
    servesGatewaysOf:
      "1.1 only: a 1.0 gateway refuses the compact bundle (no version rule existed yet)",
  },
  {
    version: "1.2",
    since: "c787570",
    date: "2026-12-02",
    changes:
      "doors carry exitKind; door.exit events; occupancy carries headcount, attributed and members; credentials may be secure-card only (flag 8, secureCardOnly, uidOnlyCardsRefused); new deny reasons credential.*",
    servesGatewaysOf:
      "1.2; a 1.1 gateway refuses bundles whose doors carry exitKind (strict schemas; checked: the gateway of c26ef3e logs payload.schema and keeps no bundle). The rule above starts here",
  },
  {
    version: "1.3",
    since: "010310f",
    date: "2026-12-03",
    changes:
      "granted access events may carry latencyMs (card read to relay); status may carry bundleIssuedAt; both optional, gateway to cloud only",
    servesGatewaysOf:
      "1.3 and 1.2 (cloud/test/cli/previousGateway.test.ts runs the 1.2 gateway of c787570); a 1.3 gateway needs a 1.3 cloud: upgrade the cloud first",
  },
];

export const currentContractVersion = "1.3";
