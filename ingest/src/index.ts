export * from './contract/codec.ts';
export * from './contract/metrics.ts';
export { CODECS, findCodec } from './codecs/index.ts';
