export * from './codec.ts';
export * from './metrics.ts';
