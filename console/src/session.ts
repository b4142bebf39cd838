import type { PrincipalView } from "@passerelle/cloud/api-types";
import { ApiClient } from "./api/client.js";

/** GET /api/v1/me. */
export type Me = PrincipalView;

export type Role = "worker" | "manager" | "coordinator";

export function rolesOf(me: Me): Role[] {
  const roles: Role[] = [];
  if (me.memberId !== null) roles.push("worker");
  if (me.managerOf.length > 0) roles.push("manager");
  if (me.coordinator) roles.push("coordinator");
  return roles;
}

interface Stored {
  token: string;
  expiresAt: string;
}

const storageKey = "passerelle.session";

/**
 * The session token lives in localStorage so a worker on a phone stays logged in for the
 * session's day; it is dropped at logout, at expiry and on the first 401.
 */
export class Session {
  private stored: Stored | null = null;
  readonly api: ApiClient;

  constructor(onEnded: () => void) {
    const raw = localStorage.getItem(storageKey);
    if (raw) {
      try {
        const parsed = JSON.parse(raw) as Stored;
        if (Date.parse(parsed.expiresAt) > Date.now()) this.stored = parsed;
      } catch {
        localStorage.removeItem(storageKey);
      }
    }
    this.api = new ApiClient(
      () => this.stored?.token ?? null,
      () => {
        this.forget();
        onEnded();
      },
    );
  }

  get loggedIn(): boolean {
    return this.stored !== null;
  }

  /** `code`: the authenticator's six digits or a recovery code, when the login has a factor. */
  async login(email: string, password: string, code?: string): Promise<void> {
    const answer = await this.api.post<Stored>("/auth/login", {
      email,
      password,
      ...(code ? { code } : {}),
    });
    this.stored = answer;
    localStorage.setItem(storageKey, JSON.stringify(answer));
  }

  async logout(): Promise<void> {
    try {
      await this.api.post("/auth/logout");
    } finally {
      this.forget();
    }
  }

  /** A session the server handed out otherwise than at login (after a password change). */
  adopt(answer: Stored): void {
    this.stored = answer;
    localStorage.setItem(storageKey, JSON.stringify(answer));
  }

  forget(): void {
    this.stored = null;
    localStorage.removeItem(storageKey);
  }
}
