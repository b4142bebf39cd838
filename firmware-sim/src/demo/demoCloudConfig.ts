import type { DemoManifest } from "./demoManifest.js";

/** What the launcher tells the demo cloud process (cloudProcess.ts), as JSON in its environment. */
export interface DemoCloudConfig {
  dataDir: string;
  httpPort: number;
  /** The embedded broker's port, or an external broker's URL with the cloud's service login. */
  broker: { embeddedPort: number } | { url: string; username: string; password: string };
  postgresUrl?: string;
  logLevel: string;
  /** InfluxDB 1.x for the time series (database passerelle), if any. */
  influxUrl?: string;
  seed: {
    centres: string[];
    people: number;
    seed: string;
    openingHours: DemoManifest["openingHours"];
    /** Every centre's booking grace (the tests shorten it); the cloud's default otherwise. */
    bookingGraceMinutes?: number;
  };
}

export interface CloudReady {
  type: "ready";
  httpUrl: string;
  brokerPort: number;
  seeded: boolean;
  bookings: number;
}

export const publicKeyFileName = "cloud-signing.pub.pem";
