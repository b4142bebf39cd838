import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generatePopulation } from "../people/population.js";
import { type ApiClient, ApiError } from "./apiClient.js";
import { roundTheClock } from "./demoNetwork.js";

/** What `npm run sim` provisioned in the cloud, kept so that a second run reuses it. */
export interface LoadNetwork {
  readonly prefix: string;
  readonly centres: readonly LoadCentre[];
}

export interface LoadCentre {
  readonly id: string;
  readonly gatewayId: string;
  readonly gatewaySecret: string;
  readonly doorId: string;
  readonly publicKeyPem: string;
  readonly uids: readonly string[];
}

const stateFile = "load-network.json";

export async function readLoadNetwork(dataDir: string): Promise<LoadNetwork | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, stateFile), "utf8")) as LoadNetwork;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function saveLoadNetwork(dataDir: string, network: LoadNetwork): Promise<void> {
  const path = join(dataDir, stateFile);
  await writeFile(`${path}.tmp`, JSON.stringify(network), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/**
 * Creates `count` load-test centres through the cloud's HTTP API as a coordinator: each with a
 * gateway (its secret is shown once and kept in the data directory), an entrance, and people
 * with network passes and badges. Centres already in the state file are reused.
 */
export async function provisionLoadNetwork(
  api: ApiClient,
  options: {
    dataDir: string;
    prefix: string;
    count: number;
    peoplePerCentre: number;
    seed: string;
  },
  progress: (done: number) => void = () => {},
): Promise<LoadNetwork> {
  const previous = await readLoadNetwork(options.dataDir);
  const centres = [...(previous?.prefix === options.prefix ? previous.centres : [])];
  const now = Date.now();
  for (let index = centres.length + 1; index <= options.count; index++) {
    const id = `${options.prefix}-${String(index).padStart(4, "0")}`;
    await api.post("/centres", {
      id,
      name: `Load test centre ${index}`,
      timeZone: "Europe/Brussels",
      openingHours: roundTheClock,
      capacity: options.peoplePerCentre * 2,
      hourlyRateCents: 400,
    });
    const credentials = await api.post<{ secret: string; bundlePublicKeyPem: string }>(
      `/centres/${id}/gateways`,
      { id: `${id}-gw-1` },
    );
    const door = await api.post<{ id: string }>(`/centres/${id}/doors`, {
      id: `${id}-entrance`,
      name: "Entrée",
      direction: "both",
      gatewayId: `${id}-gw-1`,
    });
    const uids: string[] = [];
    const people = generatePopulation(
      [{ id, capacity: 1 }],
      options.peoplePerCentre,
      `${options.seed}:${id}`,
    );
    for (const person of people) {
      const member = await api.post<{ id: string }>("/members", {
        name: person.name,
        email: `${id}.${person.email}`,
        homeCentreId: id,
      });
      await api.post(`/members/${member.id}/passes`, {
        kind: "network",
        validFrom: new Date(now - 86_400_000).toISOString(),
        validTo: new Date(now + 365 * 86_400_000).toISOString(),
      });
      // Same low bytes in every centre: the UID's first bytes carry the centre's index.
      const uid = `04${index.toString(16).padStart(4, "0").toUpperCase()}${person.uid.slice(6)}`;
      await api.post(`/members/${member.id}/badges`, { uid });
      uids.push(uid);
    }
    centres.push({
      id,
      gatewayId: `${id}-gw-1`,
      gatewaySecret: credentials.secret,
      doorId: door.id,
      publicKeyPem: credentials.bundlePublicKeyPem,
      uids,
    });
    await saveLoadNetwork(options.dataDir, { prefix: options.prefix, centres });
    progress(centres.length);
  }
  return { prefix: options.prefix, centres: centres.slice(0, options.count) };
}

export function explainApiError(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    return `${error.message}\nThis cloud does not serve ${error.method} ${error.path}: npm run sim needs the directory routes of API v1 (docs/api.md).`;
  }
  if (error instanceof ApiError && error.status === 409) {
    return `${error.message}\nThe cloud already has this load network but the state file in the data directory is gone or different: use another --prefix.`;
  }
  return (error as Error).message;
}
