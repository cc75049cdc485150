export * from './chirpstack/events.ts';
