/**
 * OSDP poll round of 4 readers on one RS-485 bus at 115 200 baud: secure channel against its
 * peer, the same round in clear.
 *
 *     npm run bench:osdp-poll -w gateway
 *
 * Over the codec and an in-process line model, not socat ptys: a pty has no baud rate (bytes
 * cross it at memory speed) and one pty pair is point to point, not a multi-drop bus, so the
 * line time would have to be computed anyway. Per reader and round: the CP builds a POLL (in
 * clear, or sealed in that reader's secure channel: MAC, chained), the frame is framed by the
 * OSDP frame parser and decoded (CRC) at the PD, the PD opens it, builds its ACK, and the CP
 * parses, decodes and opens the reply. The round's time is the CPU time of those steps (wall
 * clock, both ends on this machine) plus the line time of every byte both ways at 10 bits a
 * byte. Not modelled: the reader's own reply delay (a real PD answers within its firmware's
 * turnaround, up to the 200 ms timeout) and the RS-485 direction switch.
 */
import {
  decodeOsdpPacket,
  encodeOsdpPacket,
  OsdpCommand,
  OsdpFrameParser,
  OsdpReply,
  OsdpSecureChannel,
  osdpDefaultInstallKey,
  osdpReplyFlag,
} from "@passerelle/protocol";
import { loadAverage, percentile } from "./benchStats.js";

const readers = 4;
const rounds = 20_000;
const baud = 115_200;
const bitsPerByte = 10; // start + 8 data + stop

/** The bus: a frame written by one end is framed by the other end's parser, synchronously. */
function lineThrough(parser: OsdpFrameParser, bytes: Buffer): Buffer {
  let frame: Buffer | undefined;
  const take = (f: Buffer) => {
    frame = f;
  };
  parser.on("data", take);
  parser.write(bytes);
  parser.off("data", take);
  if (!frame) throw new Error("frame lost on the line");
  return frame;
}

interface Reader {
  readonly address: number;
  readonly cp: OsdpSecureChannel;
  readonly pd: OsdpSecureChannel;
}

function secureReader(address: number): Reader {
  const cp = new OsdpSecureChannel("cp");
  const pd = new OsdpSecureChannel("pd");
  const ccrypt = pd.answerChallenge(
    cp.challenge(),
    osdpDefaultInstallKey,
    Buffer.alloc(8, address),
  );
  const scrypt = ccrypt && cp.acceptClientCryptogram(ccrypt, osdpDefaultInstallKey);
  const rmac = scrypt && pd.answerServerCryptogram(scrypt);
  if (!rmac || !cp.acceptInitialRmac(rmac)) throw new Error("handshake failed");
  return { address, cp, pd };
}

type Exchange = (reader: Reader, sequence: number) => number;

const cpParser = new OsdpFrameParser();
const pdParser = new OsdpFrameParser();
const empty = Buffer.alloc(0);

/** One POLL/ACK in clear; returns the bytes on the line. */
const clearExchange: Exchange = (reader, sequence) => {
  const poll = encodeOsdpPacket({
    address: reader.address,
    sequence,
    useCrc: true,
    code: OsdpCommand.poll,
    data: empty,
  });
  const command = decodeOsdpPacket(lineThrough(pdParser, poll));
  if (!command.ok || command.packet.code !== OsdpCommand.poll) throw new Error("poll refused");
  const ack = encodeOsdpPacket({
    address: reader.address | osdpReplyFlag,
    sequence,
    useCrc: true,
    code: OsdpReply.ack,
    data: empty,
  });
  const reply = decodeOsdpPacket(lineThrough(cpParser, ack));
  if (!reply.ok || reply.packet.code !== OsdpReply.ack) throw new Error("ack refused");
  return poll.length + ack.length;
};

/** One POLL/ACK in the reader's secure channel; returns the bytes on the line. */
const secureExchange: Exchange = (reader, sequence) => {
  const poll = reader.cp.seal(
    { address: reader.address, sequence, useCrc: true },
    OsdpCommand.poll,
    empty,
  );
  const command = decodeOsdpPacket(lineThrough(pdParser, poll));
  if (!command.ok || !reader.pd.open(command).ok) throw new Error("poll refused");
  const ack = reader.pd.seal(
    { address: reader.address | osdpReplyFlag, sequence, useCrc: true },
    OsdpReply.ack,
    empty,
  );
  const reply = decodeOsdpPacket(lineThrough(cpParser, ack));
  if (!reply.ok || !reader.cp.open(reply).ok) throw new Error("ack refused");
  return poll.length + ack.length;
};

interface RoundTimes {
  readonly cpuUs: Float64Array;
  bytes: number;
}

function runRound(bus: Reader[], exchange: Exchange, round: number, into: RoundTimes): void {
  const sequence = (round % 3) + 1;
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (const reader of bus) bytes += exchange(reader, sequence);
  into.cpuUs[round] = Number(process.hrtime.bigint() - started) / 1000;
  into.bytes = bytes;
}

console.log(`load average before: ${loadAverage()}`);
const bus = Array.from({ length: readers }, (_, i) => secureReader(i + 1));
const clear: RoundTimes = { cpuUs: new Float64Array(rounds), bytes: 0 };
const secure: RoundTimes = { cpuUs: new Float64Array(rounds), bytes: 0 };
// Alternate so a burst of load on the shared machine hits both.
for (let round = 0; round < rounds; round += 1) {
  runRound(bus, clearExchange, round, clear);
  runRound(bus, secureExchange, round, secure);
}

function report(name: string, times: RoundTimes): { p50: number; p99: number } {
  times.cpuUs.sort();
  const lineMs = (times.bytes * bitsPerByte * 1000) / baud;
  const p50 = lineMs + percentile(times.cpuUs, 0.5) / 1000;
  const p99 = lineMs + percentile(times.cpuUs, 0.99) / 1000;
  console.log(
    `  ${name}: ${times.bytes} bytes a round = ${lineMs.toFixed(2)} ms on the line; CPU p50 ${percentile(times.cpuUs, 0.5).toFixed(0)} µs, p99 ${percentile(times.cpuUs, 0.99).toFixed(0)} µs; round p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
  );
  return { p50, p99 };
}

console.log(
  `OSDP poll round, ${readers} readers, ${baud} baud, ${rounds} rounds each (codec + line model)`,
);
const c = report("clear         ", clear);
const s = report("secure channel", secure);
console.log(
  `  ratio secure / clear: round p50 ${(s.p50 / c.p50).toFixed(2)}×, p99 ${(s.p99 / c.p99).toFixed(2)}×`,
);
console.log(`load average after: ${loadAverage()}`);
