import type { DemoManifest } from "./demoManifest.js";
import type { PortChoice } from "./portChoice.js";

export interface BannerInput {
  readonly manifest: DemoManifest;
  readonly resumed: boolean;
  readonly bookings: number;
  readonly dataDir: string;
  readonly httpUrl: string;
  readonly brokerUrl: string;
  readonly deviceEndpoint: string;
  readonly ports: readonly (PortChoice & { name: string })[];
  readonly speed: number;
}

/** What a newcomer reads after `npm start`: where to look, how to log in, what is running. */
export function demoBanner(input: BannerInput): string {
  const { manifest } = input;
  const lines = [
    "",
    "Passerelle demo network is running",
    "",
    `  Console      ${input.httpUrl}/`,
    `  API          ${input.httpUrl}/api/v1  (OpenAPI: ${input.httpUrl}/docs)`,
    `  MQTT broker  ${input.brokerUrl}`,
    `  Devices      ${input.deviceEndpoint}  (simulated readers, doors, locks)`,
    "",
    "  Demo logins (also in the data directory's demo-network.json):",
    ...manifest.logins.map(
      (login) =>
        `    ${login.role.padEnd(12)} ${login.email.padEnd(50)} ${login.password}   ${login.note}`,
    ),
    "",
    `  ${manifest.centres.length} centres, one gateway process each; ${manifest.people.length} people` +
      ` (seed "${manifest.seed}", routines at ${input.speed}x; doors in real time)` +
      `; opening hours: ${manifest.openingHours}`,
    input.resumed
      ? `  Resumed from ${input.dataDir} (seeded ${manifest.createdAt}; nothing reseeded)`
      : `  Seeded into ${input.dataDir} (${input.bookings} room bookings); the next start resumes`,
    "  Logs: cloud.log and gateways/<id>.log in that directory. Ctrl-C stops everything.",
  ];
  for (const port of input.ports) {
    if (port.port !== port.wanted) {
      lines.push(`  Note: port ${port.wanted} (${port.name}) is busy; using ${port.port} instead.`);
    }
  }
  return `${lines.join("\n")}\n`;
}
