export * from './chirpstack/events.ts';
export { ENCODERS, type Encoder, findEncoder } from './encoders/index.ts';
export * from './fleet.ts';
export { Random } from './random.ts';
