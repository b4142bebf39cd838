import { hash } from "node:crypto";
import { canonicalJson, chainHashPrefix } from "@passerelle/protocol";
import type { AuditLogTable } from "../store/database.js";
import { hashedEntry } from "./auditRecord.js";

type UnchainedRow = Omit<AuditLogTable, "prev_hash" | "hash">;

/** JSON of a string column as canonicalJson writes it; undefined when not a string or null. */
function textMember(value: unknown): string | undefined {
  if (value === null) return "null";
  return typeof value === "string" ? JSON.stringify(value) : undefined;
}

function numberMember(value: unknown): string | undefined {
  const number = Number(value);
  return Number.isFinite(number) ? JSON.stringify(number) : undefined;
}

/**
 * canonicalJson(hashedEntry(row)), byte for byte, written directly for the row's fixed shape:
 * the generic canonicaliser (sort the keys of every object, recurse) was the largest JavaScript
 * cost of the ingest's group commit. Keys are in canonicalJson's order (UTF-16 sort). Any value
 * outside the expected types (an undefined column, a non-finite number) takes the generic path,
 * so the bytes never differ; the chain verifier (verifyAuditChain.ts) only uses the generic path.
 */
export function canonicalHashedEntry(row: UnchainedRow): string {
  const action = textMember(row.action);
  const actor = textMember(row.actor);
  const at = numberMember(row.at);
  const centre = textMember(row.centre_id);
  const detail = textMember(row.detail);
  const door = textMember(row.door_id);
  const id = numberMember(row.id);
  const member = textMember(row.member_id);
  const outcome = textMember(row.outcome);
  const subject = textMember(row.subject);
  if (
    action === undefined ||
    actor === undefined ||
    at === undefined ||
    centre === undefined ||
    detail === undefined ||
    door === undefined ||
    id === undefined ||
    member === undefined ||
    outcome === undefined ||
    subject === undefined
  ) {
    return canonicalJson(hashedEntry(row));
  }
  return `{"action":${action},"actor":${actor},"at":${at},"centre":${centre},"detail":${detail},"door":${door},"id":${id},"member":${member},"outcome":${outcome},"subject":${subject},"v":1}`;
}

/**
 * chainHash(previousHash, hashedEntry(row)) of @passerelle/protocol: the same bytes hashed (the
 * prefix, then the entry), with the direct encoding and Node's one-shot hash (no Hash object per
 * row; node >= 20.12, the root package asks for 20.19).
 */
export function auditRowHash(previousHash: string, row: UnchainedRow): string {
  return hash("sha256", `${chainHashPrefix}${previousHash}\n${canonicalHashedEntry(row)}`, "hex");
}
