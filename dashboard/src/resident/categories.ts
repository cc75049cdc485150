import type { ReportCategory } from '@city/twin/contract';
import { api } from '../shared/api.ts';

/** The report categories (`GET /api/v1/report-categories`), fetched once per visit; a failure is asked again next time. */
let pending: Promise<ReportCategory[]> | undefined;

export function loadCategories(): Promise<ReportCategory[]> {
  pending ??= api<ReportCategory[]>('/api/v1/report-categories').catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}
