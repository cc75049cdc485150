import { ACCESS, ApiError, type Db, ErrorBody, type PrincipalRole } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AlarmRule, AlarmRuleParamsPath, AlarmRulePatch, NewAlarmRule } from '../../contract/alarm-rules.ts';
import type { ApiErrorCode } from '../../contract/api-errors.ts';
import {
  deleteAlarmRule,
  getAlarmRule,
  insertAlarmRule,
  listAlarmRules,
  updateAlarmRule,
} from './alarm-rules-table.ts';
import { checkRuleParams, type RuleParams } from './check-rule-params.ts';

/** Who may change the rules. */
export const RULE_EDITORS = ['admin', 'operator'] as const satisfies readonly PrincipalRole[];

export interface AlarmRulesRoutesOptions {
  db: Db;
  /**
   * Called after each change, before the answer: this process's engine takes the change at once
   * (`AlarmRuleSync.refresh`); other processes see it on their next poll.
   */
  rulesChanged?: () => void | Promise<void>;
}

const notFound = (id: string) => new ApiError<ApiErrorCode>(404, 'not_found', `no alarm rule ${id}`);

/** The parameters checked against the rule's kind, or a 400 naming the field. */
function checkedParams(kind: AlarmRule['kind'], params: unknown): RuleParams {
  const checked = checkRuleParams(kind, params);
  if ('params' in checked) return checked.params;
  throw new ApiError<ApiErrorCode>(400, 'bad_request', `body.${checked.field} ${checked.message}`);
}

/**
 * The alarm rules, as data staff read and edit: shipped rules (seeded at start by
 * `seedAlarmRules`, never overwritten) can be changed and disabled, not deleted. Every change is audited by the access
 * control, naming the rule.
 */
export const alarmRulesRoutes: FastifyPluginAsyncTypebox<AlarmRulesRoutesOptions> = async (
  app,
  { db, rulesChanged },
) => {
  const edit = { access: RULE_EDITORS };
  const changed = async () => {
    try {
      await rulesChanged?.();
    } catch (err) {
      // The change is stored; the poll brings it to the engine a few seconds later.
      app.log.warn({ err: (err as Error).message }, 'alarm rules: the engine did not take the change at once');
    }
  };

  app.get(
    '/alarm-rules',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'The alarm rules, shipped and made by staff, by id',
        response: { 200: Type.Array(AlarmRule) },
      },
    },
    async () => listAlarmRules(db),
  );

  app.get(
    '/alarm-rules/:id',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'One alarm rule',
        params: AlarmRuleParamsPath,
        response: { 200: AlarmRule, 404: ErrorBody },
      },
    },
    async (request) => {
      const rule = await getAlarmRule(db, request.params.id);
      if (!rule) throw notFound(request.params.id);
      return rule;
    },
  );

  app.post(
    '/alarm-rules',
    {
      config: edit,
      schema: {
        tags: ['alarms'],
        summary: 'Add an alarm rule (threshold, duration, change or no_data: `params` by `kind`)',
        body: NewAlarmRule,
        response: { 201: AlarmRule, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { body } = request;
      request.auditTarget = `alarm rule ${body.id}`;
      const rule = await insertAlarmRule(
        db,
        {
          ...body,
          target: body.target ?? {},
          params: checkedParams(body.kind, body.params),
          enabled: body.enabled ?? true,
        },
        request.principal?.name ?? '',
      );
      if (!rule) throw new ApiError<ApiErrorCode>(409, 'conflict', `alarm rule ${body.id} exists`);
      await changed();
      return reply.status(201).send(rule);
    },
  );

  app.patch(
    '/alarm-rules/:id',
    {
      config: edit,
      schema: {
        tags: ['alarms'],
        summary: 'Change a rule: enable or disable it, its parameters (whole, of its kind), severity, target, name',
        params: AlarmRuleParamsPath,
        body: AlarmRulePatch,
        response: { 200: AlarmRule, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { params, ...rest } = request.body;
      request.auditTarget = `alarm rule ${id}: ${Object.keys(request.body).join(', ')}`;
      const current = await getAlarmRule(db, id);
      if (!current) throw notFound(id);
      const patch = { ...rest, params: params === undefined ? undefined : checkedParams(current.kind, params) };
      const rule = await updateAlarmRule(db, id, patch, request.principal?.name ?? '');
      if (!rule) throw notFound(id);
      await changed();
      return rule;
    },
  );

  app.delete(
    '/alarm-rules/:id',
    {
      config: edit,
      schema: {
        tags: ['alarms'],
        summary: 'Delete a rule made by staff (a shipped rule can only be disabled); its active alarms stay',
        params: AlarmRuleParamsPath,
        response: { 204: Type.Null(), 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      request.auditTarget = `alarm rule ${id}`;
      const outcome = await deleteAlarmRule(db, id);
      if (outcome === 'missing') throw notFound(id);
      if (outcome === 'builtin') {
        throw new ApiError<ApiErrorCode>(
          409,
          'conflict',
          `alarm rule ${id} is shipped with the platform: disable it instead (PATCH {"enabled": false})`,
        );
      }
      await changed();
      return reply.status(204).send(null);
    },
  );
};
