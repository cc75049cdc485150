import { type Static, Type } from 'typebox';
import { PlainText, ReportCategoryId } from './reports.ts';

/** Incidents: what residents' reports on one object and category become, and how staff work them. */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const INCIDENT_STATUSES = [
  'new',
  'acknowledged',
  'assigned',
  'in_progress',
  'resolved',
  'rejected',
  'duplicate',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Where each status may go. The last three close an incident for good; a new report opens a new one. */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  new: ['acknowledged', 'assigned', 'rejected', 'duplicate'],
  acknowledged: ['assigned', 'in_progress', 'rejected', 'duplicate'],
  // Assigned again: handed to another crew or utility.
  assigned: ['assigned', 'in_progress', 'rejected', 'duplicate'],
  in_progress: ['assigned', 'resolved', 'rejected', 'duplicate'],
  resolved: [],
  rejected: [],
  duplicate: [],
};

export const CLOSED_STATUSES: readonly IncidentStatus[] = ['resolved', 'rejected', 'duplicate'];

export const Assignee = Type.Object(
  {
    kind: Type.Enum(['crew', 'utility'], {
      description: 'a crew of the utility, or another utility (which takes it over)',
    }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type Assignee = Static<typeof Assignee>;

export const Incident = Type.Object({
  id: Type.Integer(),
  objectNumber: Type.String(),
  objectType: Type.String(),
  category: Type.String(),
  status: Type.Enum(INCIDENT_STATUSES),
  utility: Nullable(Type.String({ description: 'who works it; a dispatcher sees and acts on their own' })),
  assignee: Nullable(Assignee),
  duplicateOf: Nullable(Type.Integer()),
  lat: Type.Number(),
  lon: Type.Number(),
  district: Nullable(Type.String()),
  address: Nullable(Type.String()),
  reportCount: Type.Integer(),
  openedAt: Instant,
  lastReportAt: Instant,
  updatedAt: Instant,
  closedAt: Nullable(Instant),
  slaDueAt: Instant,
  slaBreached: Type.Boolean({ description: 'open past its due time, or resolved after it' }),
});
export type Incident = Static<typeof Incident>;

export const IncidentEvent = Type.Object({
  id: Type.Integer(),
  at: Instant,
  kind: Type.Enum(['status', 'comment', 'report']),
  fromStatus: Nullable(Type.String()),
  status: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  public: Type.Boolean({ description: "shown in the residents' tracking-code history" }),
  actor: Nullable(Type.String({ description: 'staff member or API key; null for a resident' })),
  reportId: Nullable(Type.Integer()),
});
export type IncidentEvent = Static<typeof IncidentEvent>;

/** A resident's report as staff see it. */
export const IncidentReport = Type.Object({
  id: Type.Integer(),
  trackingCode: Type.String(),
  createdAt: Instant,
  source: Type.Enum(['api', 'open311']),
  description: Nullable(Type.String()),
  contact: Nullable(Type.String({ description: 'only to roles that act on incidents (not viewers or wall screens)' })),
  photo: Nullable(
    Type.Object({
      contentType: Type.String(),
      bytes: Type.Integer(),
      url: Type.String({ description: 'GET it with the same token' }),
    }),
  ),
});
export type IncidentReport = Static<typeof IncidentReport>;

export const IncidentDetail = Type.Object({
  ...Incident.properties,
  events: Type.Array(IncidentEvent),
  reports: Type.Array(IncidentReport),
});
export type IncidentDetail = Static<typeof IncidentDetail>;

export const IncidentQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(INCIDENT_STATUSES)),
    open: Type.Optional(Type.Boolean({ description: 'true: not resolved, rejected or duplicate; false: those' })),
    category: Type.Optional(ReportCategoryId),
    district: Type.Optional(Type.String({ maxLength: 64 })),
    utility: Type.Optional(Type.String({ maxLength: 64, description: 'a dispatcher sees only their own' })),
    objectNumber: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type IncidentQuery = Static<typeof IncidentQuery>;

export const IncidentParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });

export const IncidentPhotoParams = Type.Object({
  id: IncidentParams.properties.id,
  reportId: IncidentParams.properties.id,
});

export const IncidentTransition = Type.Object(
  {
    to: Type.Enum(INCIDENT_STATUSES),
    comment: Type.Optional(PlainText(2000)),
    public: Type.Optional(
      Type.Boolean({ default: false, description: 'the comment is shown to the residents who reported it' }),
    ),
    assignee: Type.Optional(Assignee),
    duplicateOf: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 9_007_199_254_740_991,
        description: 'with `to: duplicate`: the incident it repeats',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: '`assigned` takes an assignee (a utility takes the incident over), `duplicate` a duplicateOf',
  },
);
export type IncidentTransition = Static<typeof IncidentTransition>;

export const NewIncidentComment = Type.Object(
  {
    text: PlainText(2000),
    public: Type.Optional(Type.Boolean({ default: false, description: 'shown to the residents who reported it' })),
  },
  { additionalProperties: false },
);
export type NewIncidentComment = Static<typeof NewIncidentComment>;
