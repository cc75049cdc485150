import { type UiConfig, WALL_VIEWS, type WallView } from '@city/twin/contract';

/**
 * The kiosk's rotation through the wall's views (ui-config `wallRotation`): each view shows for
 * `seconds`, then the next. Someone at the screen pauses it: a view picked or a situation opened
 * by hand stays for PAUSE_MS after the last touch, then the rotation goes on from there.
 */
export const PAUSE_MS = 120_000;

export interface RotationPlan {
  views: WallView[];
  ms: number;
}

/** The plan from ui-config, checked (unknown views and repeats dropped); null when nothing rotates. */
export function rotationPlan(config: UiConfig['wallRotation'] | undefined): RotationPlan | null {
  if (!config || !Array.isArray(config.views)) return null;
  const views = [...new Set(config.views.filter((v): v is WallView => (WALL_VIEWS as readonly string[]).includes(v)))];
  const seconds = Number(config.seconds);
  if (views.length < 2 || !Number.isFinite(seconds)) return null;
  return { views, ms: Math.min(3600, Math.max(5, seconds)) * 1000 };
}

/** The view after `current` (the first when `current` is not in the plan). */
export function nextView(plan: RotationPlan, current: WallView): WallView {
  const at = plan.views.indexOf(current);
  return plan.views[(at + 1) % plan.views.length] as WallView;
}
