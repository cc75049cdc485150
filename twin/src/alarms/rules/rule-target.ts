import type { DeviceClass } from '@city/ingest';
import type { AlarmRuleTarget } from '../../contract/alarm-rules.ts';
import { numberKey } from '../../contract/object-number.ts';
import type { CityObjectRecord } from '../../objects/object-record.ts';

/** Whether a device, on an object or on none, is one a rule watches. */
export type TargetTest = (
  object: CityObjectRecord | undefined,
  deviceClass: DeviceClass | undefined,
  model: string | undefined,
) => boolean;

/** Every part of the target that is given must hold; an empty target takes everything. */
export function targetTest(target: AlarmRuleTarget): TargetTest {
  const { objectType, deviceClass, model, district } = target;
  const key = target.objectNumber === undefined ? undefined : numberKey(target.objectNumber);
  return (object, cls, deviceModel) =>
    (deviceClass === undefined || cls === deviceClass) &&
    (model === undefined || deviceModel === model) &&
    (objectType === undefined || object?.type === objectType) &&
    (district === undefined || object?.district === district) &&
    (key === undefined || (object !== undefined && numberKey(object.number) === key));
}
