import type { IncidentStatus } from '@city/twin/contract';
import { type Lang, labelIn } from './i18n.ts';

/**
 * Incident statuses as staff read them: one table for the desk and the wall, so that both screens
 * word a status the same way. The resident page words them for residents (resident/strings.ts).
 */
const INCIDENT_STATUSES: Record<IncidentStatus, { uk: string; en: string }> = {
  new: { uk: 'нове', en: 'new' },
  acknowledged: { uk: 'прийняте', en: 'acknowledged' },
  assigned: { uk: 'призначене', en: 'assigned' },
  in_progress: { uk: 'у роботі', en: 'in progress' },
  resolved: { uk: 'вирішене', en: 'resolved' },
  rejected: { uk: 'відхилене', en: 'rejected' },
  duplicate: { uk: 'дублікат', en: 'duplicate' },
};

/** The status's name in `lang`, or the status itself for one the table does not know. */
export function incidentStatusLabel(status: string, lang: Lang): string {
  return labelIn(INCIDENT_STATUSES, status, lang);
}
