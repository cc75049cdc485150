export * from './codec.ts';
export * from './dead-letter-reasons.ts';
export * from './device-schemas.ts';
export * from './http-api.ts';
export * from './http-errors.ts';
export * from './metric-vocabulary.ts';
export * from './reading.ts';
export * from './topics.ts';
