import { commitChange } from "../domain/commitChange.js";
import { invalid } from "../domain/domainError.js";
import { loadMember } from "../domain/members.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { generateSecret, hashToken } from "../security/secrets.js";

/** Recognisable by secret scanners, like the API tokens' "psr_". */
const PREFIX = "psrcal_";
const tokenPattern = /^psrcal_[A-Za-z0-9_-]{43}$/;

/**
 * Issues a member's calendar feed token, replacing (so revoking) the one they had. The token
 * is returned this once; only its sha256 is kept (high entropy: a fast hash is enough, as for
 * API tokens in security/secrets.ts).
 */
export async function issueFeedToken(
  deps: ServiceDeps,
  actor: Actor,
  memberId: string,
): Promise<{ token: string; createdAt: Date }> {
  const token = `${PREFIX}${generateSecret()}`;
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const member = await loadMember(trx, memberId);
    if (member.archivedAt !== null) throw invalid("memberId", "the member is archived");
    await trx.deleteFrom("calendar_feeds").where("member_id", "=", memberId).execute();
    await trx
      .insertInto("calendar_feeds")
      .values({ member_id: memberId, token_hash: hashToken(token), created_at: now })
      .execute();
    return {
      result: { token, createdAt: new Date(now) },
      audit: [{ actor, action: "calendar-feed.issue", subject: `member:${memberId}`, detail: {} }],
    };
  });
}

/** The member whose live feed this token opens, or undefined (unknown, replaced, archived). */
export async function memberOfFeedToken(
  deps: ServiceDeps,
  token: string,
): Promise<string | undefined> {
  // Malformed text is no token: spares the lookup and keeps junk out of the hash index.
  if (!tokenPattern.test(token)) return undefined;
  const row = await deps.store.db
    .selectFrom("calendar_feeds")
    .innerJoin("members", "members.id", "calendar_feeds.member_id")
    .select("calendar_feeds.member_id")
    .where("calendar_feeds.token_hash", "=", hashToken(token))
    .where("members.archived_at", "is", null)
    .executeTakeFirst();
  return row?.member_id;
}

/** Revokes the member's feed link without issuing another. */
export async function revokeFeedToken(
  deps: ServiceDeps,
  actor: Actor,
  memberId: string,
): Promise<boolean> {
  return commitChange(deps, async (trx) => {
    const result = await trx
      .deleteFrom("calendar_feeds")
      .where("member_id", "=", memberId)
      .executeTakeFirst();
    const revoked = Number(result.numDeletedRows) > 0;
    return {
      result: revoked,
      audit: revoked
        ? [{ actor, action: "calendar-feed.revoke", subject: `member:${memberId}`, detail: {} }]
        : [],
    };
  });
}
