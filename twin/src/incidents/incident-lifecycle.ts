import { ApiError, type Db, type Principal, type Queryable } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import {
  CLOSED_STATUSES,
  INCIDENT_TRANSITIONS,
  type IncidentTransition,
  type NewIncidentComment,
} from '../contract/incidents.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { checkUtility } from './incident-access.ts';
import { insertIncidentEvent } from './incident-events-table.ts';
import { announceIncident } from './incident-live-events.ts';
import { duplicateTarget, lockIncident, setIncidentStatus, touchIncident } from './incidents-table.ts';

const refused = (status: number, code: ApiErrorCode, message: string) =>
  new ApiError<ApiErrorCode>(status, code, message);

/** How far a chain of duplicates is walked to find that it would loop. */
const MAX_CHAIN = 50;

/** The problems of a transition's body that no schema keyword states (what goes with which status). */
function bodyProblem(t: IncidentTransition): string | undefined {
  if (t.to === 'assigned' && !t.assignee) return '`assigned` needs an assignee: {kind: "crew" | "utility", name}';
  if (t.to !== 'assigned' && t.assignee) return 'an assignee goes only with `to: "assigned"`';
  if (t.to === 'duplicate' && t.duplicateOf === undefined)
    return '`duplicate` needs duplicateOf: the incident it repeats';
  if (t.to !== 'duplicate' && t.duplicateOf !== undefined) return 'duplicateOf goes only with `to: "duplicate"`';
  return undefined;
}

/**
 * Moves an incident along its lifecycle (INCIDENT_TRANSITIONS) and records the step: who, when,
 * from and to, the comment. The incident is locked for the step, so two dispatchers acting at
 * once take turns and the second sees the first's status. The live stream (`hub`) hears of it
 * once it commits.
 */
export async function transitionIncident(
  db: Db,
  id: number,
  principal: Principal | undefined,
  t: IncidentTransition,
  hub: LiveHub,
) {
  const problem = bodyProblem(t);
  if (problem) throw refused(400, 'bad_request', problem);
  const { step, events } = await db.transaction(async (tx) => {
    const incident = await lockIncident(tx, id);
    if (!incident) throw refused(404, 'not_found', `no incident ${id}`);
    checkUtility(principal, incident);
    if (!INCIDENT_TRANSITIONS[incident.status].includes(t.to)) {
      const next = INCIDENT_TRANSITIONS[incident.status];
      throw refused(
        409,
        'invalid_transition',
        `incident ${id} is ${incident.status}; it may go to ${next.length > 0 ? next.join(', ') : 'nothing (it is closed)'}, not ${t.to}`,
      );
    }
    if (t.duplicateOf !== undefined) await checkDuplicateTarget(tx, id, t.duplicateOf);
    await setIncidentStatus(tx, id, {
      status: t.to,
      closes: CLOSED_STATUSES.includes(t.to),
      assignee: t.assignee,
      duplicateOf: t.duplicateOf,
    });
    const step = await insertIncidentEvent(tx, {
      incidentId: id,
      kind: 'status',
      fromStatus: incident.status,
      status: t.to,
      comment: t.comment ?? null,
      public: t.public ?? false,
      actor: principal?.name ?? null,
    });
    return { step, events: await announceIncident(tx, id, { opened: false, report: 'status' }) };
  });
  hub.publish(events);
  return step;
}

/** A duplicate points at another existing incident, and never round in a loop. */
async function checkDuplicateTarget(db: Queryable, id: number, target: number): Promise<void> {
  if (target === id) throw refused(400, 'bad_request', 'an incident cannot be a duplicate of itself');
  let next: number | null | undefined = target;
  for (let hops = 0; next !== null && hops < MAX_CHAIN; hops++) {
    const pointsTo: number | null | undefined = await duplicateTarget(db, next);
    if (pointsTo === undefined) throw refused(400, 'bad_request', `duplicateOf: no incident ${next}`);
    if (pointsTo === id) throw refused(400, 'bad_request', `incident ${target} is already a duplicate of ${id}`);
    next = pointsTo;
  }
}

/** Adds a staff comment (public: the residents who reported it see it). */
export async function commentOnIncident(db: Db, id: number, principal: Principal | undefined, c: NewIncidentComment) {
  return db.transaction(async (tx) => {
    const incident = await lockIncident(tx, id);
    if (!incident) throw refused(404, 'not_found', `no incident ${id}`);
    checkUtility(principal, incident);
    await touchIncident(tx, id);
    return insertIncidentEvent(tx, {
      incidentId: id,
      kind: 'comment',
      comment: c.text,
      public: c.public ?? false,
      actor: principal?.name ?? null,
    });
  });
}
