import { ACCESS, ApiError, type Db, ErrorBody, type Principal } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Alarm,
  AlarmAssignment,
  AlarmComment,
  AlarmDetail,
  AlarmPage,
  AlarmParams,
  AlarmQuery,
  NoAlarmBody,
} from '../contract/alarms.ts';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { ALARM_ACTORS, checkAlarmUtility, listedUtility } from './alarm-access.ts';
import type { AfterAlarmChange } from './alarm-changes.ts';
import { decodeCursor, encodeCursor } from './alarm-cursor.ts';
import { listAlarmEvents } from './alarm-events-table.ts';
import { actOnAlarm, type StaffAction } from './alarm-lifecycle.ts';
import { getAlarm, listAlarms } from './alarms-table.ts';

export interface AlarmRoutesOptions {
  db: Db;
  /** Where each change goes to be streamed, once committed. */
  hub: LiveHub;
  /** What joins the transaction of a change (the district roll-up). */
  afterChange?: AfterAlarmChange | undefined;
}

/**
 * Alarms for staff: the list and one alarm's history to read (a dispatcher sees their utility's),
 * and acknowledging, clearing, assigning and commenting. Every change names the alarm in the
 * audit log and goes out on the live stream.
 */
export const alarmRoutes: FastifyPluginAsyncTypebox<AlarmRoutesOptions> = async (app, { db, hub, afterChange }) => {
  app.get(
    '/alarms',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'Alarms, newest first, a page at a time; a dispatcher gets their own utility’s',
        querystring: AlarmQuery,
        response: { 200: AlarmPage, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query;
      const utility = listedUtility(request.principal, q.utility);
      if (utility === 'none') return { alarms: [], nextCursor: null };
      const rows = await listAlarms(db, {
        active: q.status === undefined ? undefined : q.status === 'active',
        acknowledged: q.acknowledged,
        severity: q.severity,
        type: q.type,
        district: q.district,
        objectNumber: q.object,
        utility,
        raisedSince: q.since,
        after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
        // One more than the page tells whether another page follows.
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        alarms: page.map((r) => r.alarm),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.key) : null,
      };
    },
  );

  app.get(
    '/alarms/:id',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'One alarm with its history (raised, severity, acknowledged, assigned, comments, escalated, cleared)',
        params: AlarmParams,
        response: { 200: AlarmDetail, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      const alarm = await getAlarm(db, id);
      if (!alarm) throw new ApiError<ApiErrorCode>(404, 'not_found', `no alarm ${id}`);
      checkAlarmUtility(request.principal, alarm);
      return { alarm, history: await listAlarmEvents(db, id) };
    },
  );

  const act = async (id: number, principal: Principal | undefined, action: StaffAction) => {
    const { alarm, events } = await actOnAlarm(db, id, principal, action, afterChange);
    hub.publish(events);
    return alarm;
  };
  const actionRoute = { config: { access: ALARM_ACTORS } };
  const answers = { 200: Alarm, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.post(
    '/alarms/:id/ack',
    {
      ...actionRoute,
      schema: {
        tags: ['alarms'],
        summary: 'Acknowledge an alarm (409 if it is already)',
        params: AlarmParams,
        body: NoAlarmBody,
        response: answers,
      },
    },
    async (request) => {
      request.auditTarget = `alarm ${request.params.id}: ack`;
      return act(request.params.id, request.principal, { kind: 'acknowledged' });
    },
  );

  app.post(
    '/alarms/:id/clear',
    {
      ...actionRoute,
      schema: {
        tags: ['alarms'],
        summary: 'Clear an alarm by hand (409 if it is cleared); a new reading that meets its rule raises a new one',
        params: AlarmParams,
        body: NoAlarmBody,
        response: answers,
      },
    },
    async (request) => {
      request.auditTarget = `alarm ${request.params.id}: clear`;
      return act(request.params.id, request.principal, { kind: 'cleared' });
    },
  );

  app.post(
    '/alarms/:id/assign',
    {
      ...actionRoute,
      schema: {
        tags: ['alarms'],
        summary: 'Assign an alarm to a person or crew (null: unassign)',
        params: AlarmParams,
        body: AlarmAssignment,
        response: answers,
      },
    },
    async (request) => {
      request.auditTarget = `alarm ${request.params.id}: assign`;
      return act(request.params.id, request.principal, { kind: 'assigned', assignee: request.body.assignee });
    },
  );

  app.post(
    '/alarms/:id/comment',
    {
      ...actionRoute,
      schema: {
        tags: ['alarms'],
        summary: 'Comment on an alarm (a history entry)',
        params: AlarmParams,
        body: AlarmComment,
        response: answers,
      },
    },
    async (request) => {
      request.auditTarget = `alarm ${request.params.id}: comment`;
      return act(request.params.id, request.principal, { kind: 'commented', text: request.body.text });
    },
  );
};
