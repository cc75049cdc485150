import { ApiError, type DownlinkCommand, findCodec, listDevices, type Principal, type Queryable } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { type CommandAction, MAX_BATCH_COMMANDS } from '../contract/commands.ts';
import { numberKey } from '../contract/object-number.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';

/** What the command routes need of the object index: look-ups, and the poles to find a cabinet's row. */
export interface CommandObjects extends ObjectLookup {
  list(options: { type?: string }): CityObjectRecord[];
}

/** One device to command, and the frame its codec made of the command. */
export interface CommandTarget {
  object: CityObjectRecord;
  devEui: string;
  applicationId: string;
  fPort: number;
  bytes: Uint8Array;
}

/** An object of a batch that gets no command, and why. */
export interface SkippedObject {
  objectNumber: string;
  reason: string;
}

/** Devices bound to one object that a command looks at (a pole has one controller, a cabinet a few). */
const DEVICES_PER_OBJECT = 16;

const fail = (status: number, code: ApiErrorCode, message: string) => new ApiError<ApiErrorCode>(status, code, message);

/** The objects a batch names: its numbers (each must exist), or every pole its cabinet switches. */
export function batchObjects(
  objects: CommandObjects,
  request: { numbers?: readonly string[] | undefined; cabinet?: string | undefined },
): CityObjectRecord[] {
  if ((request.numbers === undefined) === (request.cabinet === undefined)) {
    throw fail(400, 'bad_request', 'name exactly one of `numbers` and `cabinet`');
  }
  if (request.numbers) {
    const found = new Map<string, CityObjectRecord>();
    const unknown: string[] = [];
    for (const number of request.numbers) {
      const object = objects.get(number);
      if (object) found.set(object.number, object);
      else unknown.push(number);
    }
    if (unknown.length > 0) {
      throw fail(404, 'unknown_object', `no object has the number ${unknown.slice(0, 10).join(', ')}`);
    }
    return [...found.values()];
  }
  const cabinet = objects.get(request.cabinet as string);
  if (!cabinet) throw fail(404, 'unknown_object', `no object has the number ${request.cabinet}`);
  if (cabinet.type !== 'cabinet') {
    throw fail(400, 'bad_request', `${cabinet.number} is a ${cabinet.type}, not a lighting cabinet`);
  }
  // Poles name their cabinet as painted; compare keys, so a spelling with other dashes still counts.
  const key = numberKey(cabinet.number);
  const row = objects
    .list({ type: 'pole' })
    .filter((pole) => typeof pole.attributes.cabinet === 'string' && numberKey(pole.attributes.cabinet) === key);
  if (row.length === 0) throw fail(422, 'no_downlink', `no pole names ${cabinet.number} as its cabinet`);
  if (row.length > MAX_BATCH_COMMANDS) {
    throw fail(
      400,
      'bad_request',
      `${cabinet.number} switches ${row.length} poles; at most ${MAX_BATCH_COMMANDS} a batch`,
    );
  }
  return row;
}

/** Refuses (403) a dispatcher objects of another utility than their own; other roles reached the route by its roles. */
export function checkCommandUtility(principal: Principal | undefined, objects: readonly CityObjectRecord[]): void {
  if (principal?.role !== 'dispatcher') return;
  const foreign = objects.filter((o) => principal.utility === null || o.ownerUtility !== principal.utility);
  if (foreign.length === 0) return;
  throw fail(
    403,
    'forbidden',
    `a dispatcher commands only their utility's (${principal.utility ?? 'none'}) lights; not ${foreign
      .slice(0, 10)
      .map((o) => o.number)
      .join(', ')}`,
  );
}

/** A command as the routes checked it: `level` is set exactly when the action is `dim`. */
export interface RequestedCommand {
  action: CommandAction;
  level: number | null;
}

/** The downlink command a request is, in ingest's vocabulary: the lamp is a controller's channel 1. */
function downlinkOf(command: RequestedCommand): DownlinkCommand {
  switch (command.action) {
    case 'on':
      return { type: 'switch', channel: 1, on: true };
    case 'off':
      return { type: 'switch', channel: 1, on: false };
    case 'dim':
      return { type: 'dim', channel: 1, level: command.level ?? 100 };
  }
}

/**
 * The devices bound to `object` that can take `command` and confirm it: streetlight controllers
 * whose codec encodes the command (ingest's, the one POST /devices/{devEui}/downlink uses) and
 * reports the lamp's state, with a ChirpStack application to send through. Returns them, or
 * why there are none.
 */
export async function objectTargets(
  db: Queryable,
  object: CityObjectRecord,
  command: RequestedCommand,
): Promise<CommandTarget[] | string> {
  const devices = await listDevices(db, { objectNumber: object.number, limit: DEVICES_PER_OBJECT, offset: 0 });
  const reasons: string[] = [];
  const targets: CommandTarget[] = [];
  for (const device of devices) {
    const codec = findCodec(device.model);
    if (codec?.class !== 'streetlight' || !codec.encodeDownlink) {
      reasons.push(`${device.devEui} (${device.model}) is no switchable streetlight controller`);
      continue;
    }
    if (!codec.metrics.includes('lamp_on') && !codec.metrics.includes('dim_level')) {
      reasons.push(`${device.devEui} (${device.model}) does not report the lamp's state, so nothing could confirm`);
      continue;
    }
    const frame = codec.encodeDownlink(downlinkOf(command));
    if ('errors' in frame) {
      reasons.push(`${device.devEui} (${device.model}): ${frame.errors.join('; ')}`);
      continue;
    }
    if (!device.applicationId) {
      reasons.push(`${device.devEui} has no ChirpStack application to send through`);
      continue;
    }
    targets.push({ object, devEui: device.devEui, applicationId: device.applicationId, ...frame });
  }
  if (targets.length > 0) return targets;
  return devices.length === 0
    ? `${object.number} has no device bound`
    : `${object.number} has no device that takes this command: ${reasons.join('; ')}`;
}
