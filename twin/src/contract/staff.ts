import { KEY_ROLES, STAFF_ROLES } from '@city/ingest/contract';
import { type Static, Type } from 'typebox';

/** Requests and answers of staff access: sign-in, staff accounts, API keys and the audit log. */

const Instant = Type.String({ format: 'date-time' });
const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{2,63}$',
  maxLength: 64,
  description: 'lower-case letters, digits, dot, dash, underscore; 3-64',
});
/** Long enough to resist guessing; argon2 makes each guess slow. */
const NewPassword = Type.String({ minLength: 12, maxLength: 200 });
const Utility = Type.String({ minLength: 1, maxLength: 64, description: "a dispatcher's utility" });

export const LoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'send as `Authorization: Bearer <token>`' }),
  role: Type.Enum(STAFF_ROLES),
  expiresAt: Instant,
});

export const Me = Type.Object({
  kind: Type.Enum(['user', 'key']),
  name: Type.String(),
  role: Type.Enum(KEY_ROLES),
  utility: Type.Union([Type.String(), Type.Null()]),
});

export const StaffUser = Type.Object({
  username: Type.String(),
  role: Type.Enum(STAFF_ROLES),
  utility: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  createdAt: Instant,
});
export type StaffUser = Static<typeof StaffUser>;

export const NewStaffUser = Type.Object(
  { username: Username, password: NewPassword, role: Type.Enum(STAFF_ROLES), utility: Type.Optional(Utility) },
  { additionalProperties: false },
);
export type NewStaffUser = Static<typeof NewStaffUser>;

export const StaffUserPatch = Type.Object(
  {
    password: Type.Optional(NewPassword),
    role: Type.Optional(Type.Enum(STAFF_ROLES)),
    utility: Type.Optional(Type.Union([Utility, Type.Null()])),
    disabled: Type.Optional(
      Type.Boolean({ description: 'a disabled account cannot sign in; its tokens stop working' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type StaffUserPatch = Static<typeof StaffUserPatch>;

export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });

export const NewApiKey = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Enum(KEY_ROLES, { description: '`kiosk`: a wall screen that only reads' }),
    utility: Type.Optional(Utility),
  },
  { additionalProperties: false },
);
export type NewApiKey = Static<typeof NewApiKey>;

export const ApiKeyInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.Enum(KEY_ROLES),
  utility: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Instant,
  revokedAt: Type.Union([Instant, Type.Null()]),
});
export type ApiKeyInfo = Static<typeof ApiKeyInfo>;

export const ApiKeyCreated = Type.Object({
  ...ApiKeyInfo.properties,
  key: Type.String({ description: 'shown once; send as `Authorization: Bearer <key>`' }),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'page: ids below this one' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Instant,
  actor: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ examples: ['POST /api/v1/devices/:devEui/downlink'] }),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.String(),
  status: Type.Integer(),
});
export type AuditEntry = Static<typeof AuditEntry>;
