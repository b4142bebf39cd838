import { type Static, Type } from "@sinclair/typebox";

export const PasswordField = Type.String({ minLength: 1, maxLength: 1024 });
export const TokenField = Type.String({ minLength: 1, maxLength: 300 });

export const InvitationView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.Union([Type.Literal("coordinator"), Type.Literal("manager"), Type.Literal("member")]),
  centreIds: Type.Array(Type.String()),
  memberId: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ format: "date-time" }),
});

export const StaffView = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  memberId: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  roles: Type.Array(
    Type.Object({
      id: Type.String(),
      role: Type.Union([Type.Literal("manager"), Type.Literal("coordinator")]),
      centreId: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const SessionView = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: "date-time" }),
});

export type InvitationView = Static<typeof InvitationView>;
export type StaffView = Static<typeof StaffView>;
/** POST /invitations: the invitation, its link (shown once) and whether it was e-mailed. */
export type CreatedInvitationView = InvitationView & { link: string; emailed: boolean };
