import type { ComparisonOp } from '../../contract/alarm-rules.ts';

/** Whether `value` meets `op bound`. */
export function meets(op: ComparisonOp, value: number, bound: number): boolean {
  switch (op) {
    case 'gte':
      return value >= bound;
    case 'gt':
      return value > bound;
    case 'lte':
      return value <= bound;
    case 'lt':
      return value < bound;
  }
}

/** Whether `op` is met by values above its bound (rather than below). */
export function isUpward(op: ComparisonOp): boolean {
  return op === 'gte' || op === 'gt';
}

export const OP_SYMBOLS: Readonly<Record<ComparisonOp, string>> = { gte: '≥', gt: '>', lte: '≤', lt: '<' };
