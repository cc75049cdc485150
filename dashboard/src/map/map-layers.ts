/**
 * The map's layers a page can switch on and off (`CityMap.setLayerVisible`, `<LayerToggles/>`),
 * in drawing order, bottom first. `position` (the desk's caller) is not a toggle: it shows when
 * a position is set.
 */
export const MAP_LAYERS = ['air', 'outages', 'clusters', 'objects', 'alarms', 'labels'] as const;
export type MapLayerId = (typeof MAP_LAYERS)[number];

/** What the wall shows at start: everything but the air zones, which have a view of their own. */
export const DEFAULT_VISIBLE: Record<MapLayerId, boolean> = {
  air: false,
  outages: true,
  clusters: true,
  objects: true,
  alarms: true,
  labels: true,
};
