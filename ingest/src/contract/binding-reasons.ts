/**
 * Why a device's binding to a city object began or ended (the `device_bindings` history). Ingest's
 * trigger writes `registered` (the device was registered with an object: zero-touch adoption from
 * its `object` tag, or POST /devices), `changed` (its object changed without a reason given:
 * PATCH /devices) and `deleted`; the twin's binding routes say `bind`, `move` and `unbind`;
 * `existing` dates bindings older than the history.
 */
export const BINDING_REASONS = ['registered', 'changed', 'deleted', 'bind', 'move', 'unbind', 'existing'] as const;
export type BindingReason = (typeof BINDING_REASONS)[number];
