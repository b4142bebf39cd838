import type { WeeklySchedule } from "@passerelle/protocol";
import type { ExitKind } from "../doors/exitKind.js";

/**
 * The demo network, from the documents this project grew from: the eight first Walloon smart
 * work centres, the SMILE spaces of the Province of Luxembourg and the cross-border coworkings
 * of the COFFEE project. Capacities, hours and rates are plausible, not official figures.
 */
export interface DemoCentre {
  /** Slug: also the gateway id prefix and the simulated devices' prefix. */
  readonly id: string;
  readonly name: string;
  readonly network: "smart-work-centre" | "smile" | "coffee";
  readonly timeZone: "Europe/Brussels" | "Europe/Paris";
  readonly openingHours: WeeklySchedule;
  readonly capacity: number;
  readonly hourlyRateCents: number;
  readonly desks: number;
  readonly rooms: readonly { name: string; capacity: number }[];
  /**
   * How people leave through the entrance: an exit reader where the centre bills its hours
   * closely (the bigger ones), a request-to-exit button, or a lever handle (free egress) in the
   * small spaces. A mix, so the demo shows the three.
   */
  readonly exitKind: ExitKind;
}

const weekdays = (open: string, close: string): WeeklySchedule => [
  { days: [1, 2, 3, 4, 5], open, close },
];
const weekdaysAndSaturday = (
  open: string,
  close: string,
  saturdayClose: string,
): WeeklySchedule => [
  { days: [1, 2, 3, 4, 5], open, close },
  { days: [6], open, close: saturdayClose },
];

/** Every day, all day: what a compressed simulated day needs (see docs/demo.md). */
export const roundTheClock: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" },
];

const room = (name: string, capacity: number) => ({ name, capacity });

export const demoCentres: readonly DemoCentre[] = [
  // The eight first Walloon smart work centres.
  {
    id: "louvain-la-neuve",
    name: "Smart Work Centre Louvain-la-Neuve",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("07:30", "19:00"),
    capacity: 60,
    hourlyRateCents: 550,
    desks: 40,
    rooms: [room("Salle Hergé", 10), room("Salle Lemaître", 6)],
    exitKind: "exit-reader",
  },
  {
    id: "mont-saint-guibert",
    name: "Smart Work Centre Mont-Saint-Guibert",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:30"),
    capacity: 35,
    hourlyRateCents: 500,
    desks: 24,
    rooms: [room("Salle Axis", 8)],
    exitKind: "exit-button",
  },
  {
    id: "tournai",
    name: "Smart Work Centre Tournai",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 30,
    hourlyRateCents: 450,
    desks: 20,
    rooms: [room("Salle de l'Escaut", 8)],
    exitKind: "exit-button",
  },
  {
    id: "enghien",
    name: "Smart Work Centre Enghien",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 20,
    hourlyRateCents: 400,
    desks: 12,
    rooms: [room("Salle du Parc", 6)],
    exitKind: "free-egress",
  },
  {
    id: "saintes",
    name: "Smart Work Centre Saintes",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 16,
    hourlyRateCents: 400,
    desks: 10,
    rooms: [room("Salle Renaud", 4)],
    exitKind: "exit-button",
  },
  {
    id: "les-isnes",
    name: "Smart Work Centre Les Isnes",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 25,
    hourlyRateCents: 450,
    desks: 16,
    rooms: [room("Salle Créalys", 8)],
    exitKind: "free-egress",
  },
  {
    id: "redu",
    name: "Smart Work Centre Redu",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:30", "17:30"),
    capacity: 14,
    hourlyRateCents: 350,
    desks: 8,
    rooms: [room("Salle du Village du livre", 6)],
    exitKind: "exit-button",
  },
  {
    id: "wemmel",
    name: "Smart Work Centre Wemmel",
    network: "smart-work-centre",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("07:30", "19:00"),
    capacity: 40,
    hourlyRateCents: 550,
    desks: 28,
    rooms: [room("Zaal Atomium", 10)],
    exitKind: "exit-reader",
  },
  // SMILE: the shared workspaces of the Province of Luxembourg.
  {
    id: "saint-leger",
    name: "SMILE Saint-Léger",
    network: "smile",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 12,
    hourlyRateCents: 300,
    desks: 8,
    rooms: [room("Salle de la Gaume", 6)],
    exitKind: "free-egress",
  },
  {
    id: "marche-en-famenne",
    name: "SMILE Marche-en-Famenne",
    network: "smile",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 18,
    hourlyRateCents: 350,
    desks: 12,
    rooms: [room("Salle de la Famenne", 8)],
    exitKind: "exit-button",
  },
  {
    id: "arlon",
    name: "SMILE Arlon",
    network: "smile",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("07:30", "18:30"),
    capacity: 24,
    hourlyRateCents: 400,
    desks: 16,
    rooms: [room("Salle Orolaunum", 8)],
    exitKind: "exit-reader",
  },
  // COFFEE: cross-border coworkings between Hainaut and the Hauts-de-France.
  {
    id: "coffee-tournai",
    name: "COFFEE Tournai",
    network: "coffee",
    timeZone: "Europe/Brussels",
    openingHours: weekdaysAndSaturday("08:00", "19:00", "13:00"),
    capacity: 30,
    hourlyRateCents: 450,
    desks: 20,
    rooms: [room("Salle Picardie", 8)],
    exitKind: "free-egress",
  },
  {
    id: "coffee-charleroi",
    name: "COFFEE Charleroi",
    network: "coffee",
    timeZone: "Europe/Brussels",
    openingHours: weekdaysAndSaturday("08:00", "19:00", "13:00"),
    capacity: 45,
    hourlyRateCents: 450,
    desks: 30,
    rooms: [room("Salle du Pays Noir", 10), room("Salle Sambre", 4)],
    exitKind: "exit-button",
  },
  {
    id: "coffee-la-louviere",
    name: "COFFEE La Louvière",
    network: "coffee",
    timeZone: "Europe/Brussels",
    openingHours: weekdays("08:00", "18:00"),
    capacity: 25,
    hourlyRateCents: 400,
    desks: 16,
    rooms: [room("Salle des Ascenseurs", 8)],
    exitKind: "free-egress",
  },
  {
    id: "coffee-mons",
    name: "COFFEE Mons",
    network: "coffee",
    timeZone: "Europe/Brussels",
    openingHours: weekdaysAndSaturday("08:00", "19:00", "13:00"),
    capacity: 40,
    hourlyRateCents: 450,
    desks: 26,
    rooms: [room("Salle du Doudou", 10)],
    exitKind: "exit-reader",
  },
  {
    id: "coffee-lille",
    name: "COFFEE Lille",
    network: "coffee",
    timeZone: "Europe/Paris",
    openingHours: weekdaysAndSaturday("08:00", "20:00", "14:00"),
    capacity: 70,
    hourlyRateCents: 600,
    desks: 48,
    rooms: [room("Salle Vauban", 12), room("Salle Euralille", 6)],
    exitKind: "exit-reader",
  },
];

/**
 * The desks of a centre anyone may book by name (a quarter of its open-space seats, at least
 * four): `<centre>-desk-<n>`. The rest of the open space is first come, first served.
 */
export function bookableDesks(centre: Pick<DemoCentre, "id" | "desks">): string[] {
  const count = Math.max(4, Math.round(centre.desks / 4));
  return Array.from({ length: count }, (_, i) => `${centre.id}-desk-${i + 1}`);
}

/** The first `count` centres, so that a small demo still spans the three networks. */
export function pickCentres(count: number): DemoCentre[] {
  if (count >= demoCentres.length) return [...demoCentres];
  const byNetwork = ["smart-work-centre", "smile", "coffee"].map((network) =>
    demoCentres.filter((centre) => centre.network === network),
  );
  const picked: DemoCentre[] = [];
  for (let i = 0; picked.length < count; i++) {
    for (const list of byNetwork) {
      const centre = list[i];
      if (centre !== undefined && picked.length < count) picked.push(centre);
    }
  }
  return picked;
}
