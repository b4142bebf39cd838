import { type Logger, silentLogger } from "../../core/logger.js";
import { ReconnectBackoff } from "../../core/reconnectBackoff.js";
import { ListenerSet } from "../listenerSet.js";
import { loadOptional } from "../loadOptional.js";
import type { BadgePresentation, BadgeReader, ReaderStatus, Unsubscribe } from "../ports.js";
import { GET_UID_APDU, GET_UID_MAX_RESPONSE, parseGetUidResponse } from "./getUid.js";
import type { NfcPcscContext, NfcPcscModule, NfcPcscReader } from "./nfcPcscTypes.js";
import { defaultPcscdSocket, isPcscdReachable } from "./pcscdProbe.js";
import { readNdefFile } from "./readNdefFile.js";

export interface PcscBadgeReaderOptions {
  id: string;
  /** Only readers whose PC/SC name contains this (case-insensitive); all readers by default. */
  readerName?: string;
  /** pcscd's socket; PCSCLITE_CSOCK_NAME or /run/pcscd/pcscd.comm by default. */
  pcscdSocket?: string;
  /**
   * After the UID, read the card's NDEF file (NTAG 424 DNA SUN cards): two SELECTs and a few
   * READ BINARY, a handful of milliseconds. Off by default: plain UID readers skip it.
   */
  readNdefFile?: boolean;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  logger?: Logger;
  clock?: () => number;
  /** Test seams: the nfc-pcsc module and the pcscd probe. */
  loadModule?: () => Promise<NfcPcscModule>;
  probe?: (socketPath: string) => Promise<boolean>;
}

/** What we know about one attached PC/SC reader. */
interface ReaderSlot {
  /** The card now on the reader was already read: a card left on the reader reads once. */
  cardRead: boolean;
  /** Why the last card (or the reader) failed; cleared when the card is taken away. */
  fault: string | undefined;
}

/** Imports nfc-pcsc, refusing clearly when it is absent. */
export async function importNfcPcsc(): Promise<NfcPcscModule> {
  const module = await loadOptional<NfcPcscModule & { default?: NfcPcscModule }>("nfc-pcsc");
  // nfc-pcsc is CommonJS built by Babel: its named exports may sit on the default export.
  return module.NFC !== undefined ? module : (module.default ?? module);
}

function describeError(error: unknown): string {
  const { message, previous } = error as { message?: string; previous?: { message?: string } };
  return previous?.message ? `${message} (${previous.message})` : String(message ?? error);
}

/**
 * A PC/SC contactless reader (ACR122U, ACR1252U, any CCID reader pcscd knows) through nfc-pcsc.
 * Reads the UID of ISO 14443-A cards with GET DATA, once per presentation; follows readers as
 * they are plugged in and out; survives pcscd restarts by reconnecting with backoff. Faults
 * become status events, never exceptions.
 */
export class PcscBadgeReader implements BadgeReader {
  readonly id: string;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly socketPath: string;
  private readonly backoff: ReconnectBackoff;
  private readonly badges: ListenerSet<[BadgePresentation]>;
  private readonly statuses: ListenerSet<[ReaderStatus]>;
  private readonly readers = new Map<NfcPcscReader, ReaderSlot>();
  private module: NfcPcscModule | undefined;
  private context: NfcPcscContext | undefined;
  private running = false;
  /** Bumped on every (re)connection and on stop, so callbacks from an old context are ignored. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private serviceFault: string | undefined;
  private current: ReaderStatus;

  constructor(private readonly options: PcscBadgeReaderOptions) {
    this.id = options.id;
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:pcsc" });
    this.clock = options.clock ?? Date.now;
    this.socketPath = options.pcscdSocket ?? defaultPcscdSocket();
    this.backoff = new ReconnectBackoff(
      options.reconnectMinMs ?? 1000,
      options.reconnectMaxMs ?? 30_000,
    );
    const onListenerError = (error: unknown) =>
      this.log.error({ err: describeError(error) }, "badge listener failed");
    this.badges = new ListenerSet(onListenerError);
    this.statuses = new ListenerSet(onListenerError);
    this.current = { readerId: this.id, state: "disconnected" };
  }

  /** Rejects only when nfc-pcsc cannot be loaded; an absent pcscd is a status, retried. */
  async start(): Promise<void> {
    if (this.running) return;
    this.module ??= await (this.options.loadModule ?? importNfcPcsc)();
    this.running = true;
    await this.connectService();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.teardown();
    this.serviceFault = undefined;
    this.refreshStatus();
  }

  status(): ReaderStatus {
    return { ...this.current };
  }

  onBadge(listener: (presentation: BadgePresentation) => void): Unsubscribe {
    return this.badges.add(listener);
  }

  onStatus(listener: (status: ReaderStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  private async connectService(): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    const reachable = await (this.options.probe ?? isPcscdReachable)(this.socketPath);
    if (!this.running || generation !== this.generation) return;
    if (!reachable) {
      this.serviceFault = `PC/SC service not reachable at ${this.socketPath} (is pcscd running?)`;
      this.refreshStatus();
      this.scheduleReconnect();
      return;
    }
    const module = this.module as NfcPcscModule;
    let context: NfcPcscContext;
    try {
      // No logger is passed to nfc-pcsc: at debug level it logs APDU responses, i.e. UIDs.
      context = new module.NFC();
    } catch (error) {
      this.serviceFault = `PC/SC context failed: ${describeError(error)}`;
      this.refreshStatus();
      this.scheduleReconnect();
      return;
    }
    this.context = context;
    this.serviceFault = undefined;
    this.backoff.reset();
    this.log.info({ socket: this.socketPath }, "connected to pcscd");
    context.on("reader", (reader) => this.attachReader(reader, generation));
    context.on("error", (error) => this.onServiceLost(error, generation));
    this.refreshStatus();
  }

  private onServiceLost(error: Error, generation: number): void {
    if (generation !== this.generation || !this.running) return;
    this.log.warn({ err: describeError(error) }, "lost pcscd; reconnecting");
    this.generation += 1;
    this.teardown();
    this.serviceFault = `PC/SC service lost: ${describeError(error)}`;
    this.refreshStatus();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running || this.retryTimer !== undefined) return;
    const delay = this.backoff.next();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connectService();
    }, delay);
  }

  private attachReader(reader: NfcPcscReader, generation: number): void {
    // Without an 'error' listener an EventEmitter throws, from a native callback: always listen.
    reader.on("error", (error) => this.onReaderError(reader, error, generation));
    const wanted = this.options.readerName?.toLowerCase();
    if (generation !== this.generation || (wanted && !reader.name.toLowerCase().includes(wanted))) {
      this.log.debug({ reader: reader.name }, "ignoring reader");
      closeQuietly(reader);
      return;
    }
    const slot: ReaderSlot = { cardRead: false, fault: undefined };
    this.readers.set(reader, slot);
    reader.autoProcessing = false;
    // nfc-pcsc 0.8.1 swallows a failed card connect (Reader.js calls `this.emit(err)`), so
    // connect is wrapped to turn that failure into a status.
    const connect = reader.connect.bind(reader);
    reader.connect = async (mode) => {
      try {
        return await connect(mode);
      } catch (error) {
        if (generation === this.generation)
          this.setFault(slot, `card connect failed: ${describeError(error)}`);
        throw error;
      }
    };
    reader.on("card", () => void this.readCard(reader, slot, generation));
    reader.on("card.off", () => {
      slot.cardRead = false;
      slot.fault = undefined;
      this.refreshStatus();
    });
    reader.on("end", () => {
      this.log.info({ reader: reader.name }, "reader removed");
      this.readers.delete(reader);
      this.refreshStatus();
    });
    this.log.info({ reader: reader.name }, "reader attached");
    this.refreshStatus();
  }

  private async readCard(reader: NfcPcscReader, slot: ReaderSlot, generation: number) {
    if (slot.cardRead) return;
    slot.cardRead = true;
    let response: Buffer;
    try {
      response = await reader.transmit(Buffer.from(GET_UID_APDU), GET_UID_MAX_RESPONSE);
    } catch (error) {
      if (generation === this.generation)
        this.setFault(slot, `card unreadable: ${describeError(error)}`);
      return;
    }
    if (generation !== this.generation || !this.running) return;
    const result = parseGetUidResponse(response);
    if (!result.ok) {
      this.setFault(slot, `card unreadable: ${result.reason}`);
      return;
    }
    const at = this.clock();
    let ndefFile: BadgePresentation["ndefFile"];
    if (this.options.readNdefFile === true) {
      const read = await readNdefFile((apdu, max) => reader.transmit(apdu, max));
      if (generation !== this.generation || !this.running) return;
      if (read.ok) ndefFile = { ok: true, file: read.file };
      else if (read.failure !== "no-ndef") ndefFile = { ok: false, failure: read.failure };
    }
    slot.fault = undefined;
    this.refreshStatus();
    this.log.debug(
      { reader: reader.name, uidLength: result.uid.length, ndef: ndefFile?.ok },
      "badge read",
    );
    this.badges.emit({
      readerId: this.id,
      uid: result.uid,
      at,
      ...(ndefFile === undefined ? {} : { ndefFile }),
    });
  }

  private onReaderError(reader: NfcPcscReader, error: Error, generation: number): void {
    const slot = this.readers.get(reader);
    if (generation !== this.generation || slot === undefined) return;
    this.setFault(slot, `reader ${reader.name}: ${describeError(error)}`);
  }

  private setFault(slot: ReaderSlot, fault: string): void {
    this.log.warn({ fault }, "reader fault");
    slot.fault = fault;
    this.refreshStatus();
  }

  private teardown(): void {
    for (const reader of this.readers.keys()) closeQuietly(reader);
    this.readers.clear();
    const context = this.context;
    this.context = undefined;
    if (context !== undefined) {
      context.removeAllListeners();
      context.on("error", () => {});
      try {
        context.close();
      } catch {
        // Closing a context whose pcscd is gone may fail; it is released either way.
      }
    }
  }

  private refreshStatus(): void {
    const next = this.computeStatus();
    if (next.state === this.current.state && next.error === this.current.error) return;
    this.current = next;
    this.statuses.emit({ ...next });
  }

  private computeStatus(): ReaderStatus {
    const readerId = this.id;
    if (this.serviceFault !== undefined) {
      return { readerId, state: "error", error: this.serviceFault };
    }
    if (!this.running || this.readers.size === 0) return { readerId, state: "disconnected" };
    for (const slot of this.readers.values()) {
      if (slot.fault !== undefined) return { readerId, state: "error", error: slot.fault };
    }
    return { readerId, state: "connected" };
  }
}

function closeQuietly(reader: NfcPcscReader): void {
  reader.removeAllListeners();
  reader.on("error", () => {});
  try {
    reader.close();
  } catch {
    // The reader may already be gone with its pcscd.
  }
}
