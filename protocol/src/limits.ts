/**
 * Sane upper bounds on everything that crosses the wire. A message past a limit is refused
 * before it is parsed, so an oversized or hostile payload cannot exhaust a Raspberry Pi.
 */
export const limits = {
  /** Longest identifier (gateway, centre, door, member, zone). */
  idLength: 64,
  /** Longest free text (names, reasons, software versions). */
  textLength: 200,
  /** Events in one `events` batch. */
  eventsPerBatch: 500,
  /** Credentials in one access bundle: the largest centre network we plan for. */
  credentialsPerBundle: 200_000,
  /** Entries (upserts + removals) in one delta. */
  changesPerDelta: 20_000,
  /** Doors in one bundle. */
  doorsPerBundle: 256,
  /** Time windows on one credential (bookings with grace, day passes). */
  windowsPerCredential: 512,
  /** Time windows in one bundle, all credentials together (ten each at the credentials limit). */
  windowsPerBundle: 2_000_000,
  /** Pass rules on one credential. */
  passesPerCredential: 16,
  /** Zones reported in one occupancy sample. */
  zonesPerCentre: 256,
  /** Bytes of one non-bundle MQTT payload. */
  messageBytes: 1024 * 1024,
  /**
   * Bytes of one signed bundle frame. 200 000 credentials with UUIDv7 member ids make 16.6 MiB;
   * brokers cap a packet near this (deploy/mosquitto max_packet_size), because a broker holds
   * the length a packet announces before it has authenticated the sender.
   */
  bundleBytes: 32 * 1024 * 1024,
} as const;
