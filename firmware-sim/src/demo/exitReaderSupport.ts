import { parseHardwareConfig } from "@passerelle/gateway";
import type { ExitKind } from "../doors/exitKind.js";
import { entranceDeviceIds } from "../doors/simulatedEntrance.js";

/**
 * Whether the gateway takes a reader on the inside of a door (hardware `exitReader`). An
 * `exit-reader` door counts no door cycle as an exit: its exits are the badges at that reader.
 * A gateway with one reader only (the outside one) would never see anyone leave such a door,
 * so the demo seeds those doors as `exit-button` until the gateway reads exit badges.
 */
export function gatewayReadsExitBadges(): boolean {
  const ids = entranceDeviceIds("probe");
  try {
    parseHardwareConfig({
      reader: { adapter: "sim", device: ids.reader },
      exitReader: { adapter: "sim", device: ids.exitReader },
      doors: [{ id: "probe", lock: { adapter: "sim", device: ids.lock } }],
    });
    return true;
  } catch {
    return false;
  }
}

/** The exit kind the demo can run for a door it would like to be `wanted`. */
export function runnableExitKind(
  wanted: ExitKind,
  exitBadges = gatewayReadsExitBadges(),
): ExitKind {
  return wanted === "exit-reader" && !exitBadges ? "exit-button" : wanted;
}
