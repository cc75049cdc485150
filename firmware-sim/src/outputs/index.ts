import type { Marshaler } from '../chirpstack/events.ts';
import { chirpstackOutput } from './chirpstack.ts';
import { gatewayOutput } from './gateway.ts';
import type { Output } from './output.ts';

export type { Output } from './output.ts';

/** Every output target, by the name the CLI takes. Adding one: one file, one line here. */
export const OUTPUTS = {
  chirpstack: ({ marshaler }: { marshaler: Marshaler }) => chirpstackOutput(marshaler),
  gateway: () => gatewayOutput(),
} satisfies Record<string, (opts: { marshaler: Marshaler }) => Output>;

export type OutputName = keyof typeof OUTPUTS;

export function isOutputName(name: string): name is OutputName {
  return Object.hasOwn(OUTPUTS, name);
}
