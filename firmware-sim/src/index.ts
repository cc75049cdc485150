export * from './behaviour/index.ts';
export * from './chirpstack/events.ts';
export * from './city/index.ts';
export { ENCODERS, type Encoder, findEncoder } from './encoders/index.ts';
export * from './fleet.ts';
export * from './outputs/index.ts';
export * from './player.ts';
export { Random } from './random.ts';
export * from './simulation.ts';
