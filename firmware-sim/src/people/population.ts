import { SeededRandom } from "../scenario/seededRandom.js";
import type { SimPerson } from "./simPerson.js";

const firstNames = [
  "Amélie",
  "Benoît",
  "Christine",
  "Didier",
  "Élise",
  "François",
  "Géraldine",
  "Hugo",
  "Inès",
  "Jérôme",
  "Karima",
  "Laurent",
  "Manon",
  "Nicolas",
  "Océane",
  "Pierre",
  "Quentin",
  "Rachida",
  "Sébastien",
  "Thérèse",
  "Ugo",
  "Valérie",
  "Wouter",
  "Xavier",
  "Yasmina",
  "Zoé",
  "Anouk",
  "Bram",
  "Lieve",
  "Maarten",
  "Noor",
  "Olivier",
  "Pauline",
  "Romain",
  "Sofia",
  "Tom",
];
const lastNames = [
  "Dubois",
  "Lambert",
  "Peeters",
  "Janssens",
  "Maes",
  "Jacobs",
  "Mertens",
  "Willems",
  "Claes",
  "Goossens",
  "Wouters",
  "De Smet",
  "Dupont",
  "Martin",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Leroy",
  "Renard",
  "Collignon",
  "Hanin",
  "Vintens",
  "Gillet",
  "Mathieu",
  "Lejeune",
  "Noël",
  "Thiry",
  "Gérard",
  "François",
  "Bertrand",
  "Fontaine",
  "Delvaux",
  "Masson",
  "Henrard",
  "Pirard",
];

function emailOf(name: string, index: number): string {
  const ascii = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, ".");
  return `${ascii}.${index}@demo.passerelle.example`;
}

/** A 7-byte UID, unique per index, spread by the seed so two seeds give different cards. */
function uidFor(random: SeededRandom, index: number): string {
  const bytes = Buffer.alloc(7);
  bytes[0] = 0x04;
  bytes.writeUInt16BE(index, 1);
  bytes.writeUInt32BE(Math.floor(random.next() * 0x1_0000_0000), 3);
  return bytes.toString("hex").toUpperCase();
}

/** The centre whose capacity range holds `ticket` (bigger centres are home to more people). */
function weightedPick<T extends { capacity: number }>(items: readonly T[], ticket: number): T {
  let rest = ticket;
  for (const item of items) {
    rest -= item.capacity;
    if (rest < 0) return item;
  }
  return items[items.length - 1] as T;
}

/**
 * The people of the demo: each with a home centre (spread by centre capacity), mostly network
 * passes, and working habits. Same seed and counts, same people.
 */
export function generatePopulation(
  centres: readonly { id: string; capacity: number }[],
  count: number,
  seed: string | number,
): SimPerson[] {
  if (centres.length === 0) throw new Error("a population needs at least one centre");
  const random = new SeededRandom(`population:${seed}`);
  const totalCapacity = centres.reduce((sum, centre) => sum + centre.capacity, 0);
  const people: SimPerson[] = [];
  for (let index = 1; index <= count; index++) {
    const home = weightedPick(centres, random.next() * totalCapacity);
    const name = `${random.pick(firstNames)} ${random.pick(lastNames)}`;
    const days = random.int(2, 5);
    const workDays = [1, 2, 3, 4, 5].filter(() => random.chance(days / 5));
    people.push({
      key: `p-${String(index).padStart(4, "0")}`,
      name,
      email: emailOf(name, index),
      uid: uidFor(random, index),
      homeCentre: home.id,
      pass: random.chance(0.75) ? "network" : "centre-membership",
      habits: {
        workDays: workDays.length > 0 ? workDays : [random.int(1, 5)],
        arrivalMinute: random.int(7 * 60 + 30, 10 * 60),
        stayMinutes: random.int(3 * 60, 9 * 60),
        roamChance: random.next() * 0.3,
        lunchOutChance: random.next() * 0.5,
      },
    });
  }
  return people;
}
