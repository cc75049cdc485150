import { createHash, timingSafeEqual } from 'node:crypto';
import { CHIRPSTACK_DOWNLINK_TOPIC, CHIRPSTACK_EVENT_TOPIC, fillTopic } from '../contract/topics.ts';
import { filterWithin, topicMatches } from './topic-filter.ts';

/** A login of the embedded broker and what it may do there. */
export interface BrokerAccount {
  username: string;
  password: string;
  /** Topic filters the account may publish to. */
  publish: string[];
  /** Topic filters the account may subscribe within. */
  subscribe: string[];
}

const ANY = { applicationId: '+', devEui: '+', event: '+' };
/** `application/+/device/+/event/+`: what a ChirpStack network server publishes. */
export const NETWORK_SERVER_EVENTS = fillTopic(CHIRPSTACK_EVENT_TOPIC, ANY);
/** `application/+/device/+/command/down`: the downlinks it reads. */
export const NETWORK_SERVER_DOWNLINKS = fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, ANY);

/** The network server's account (ChirpStack, or firmware-sim playing it): events out, downlinks in. */
export function networkServerAccount(username: string, password: string): BrokerAccount {
  return { username, password, publish: [NETWORK_SERVER_EVENTS], subscribe: [NETWORK_SERVER_DOWNLINKS] };
}

/** The account these credentials open, if any. Passwords are compared in constant time. */
export function login(
  accounts: readonly BrokerAccount[],
  username: string | undefined,
  password: Buffer | undefined,
): BrokerAccount | undefined {
  if (username === undefined || password === undefined) return undefined;
  const account = accounts.find((a) => a.username === username);
  // Digests have one length, so timingSafeEqual never sees lengths that differ.
  const digest = (b: Buffer | string) => createHash('sha256').update(b).digest();
  if (!account || !timingSafeEqual(digest(account.password), digest(password))) return undefined;
  return account;
}

export function mayPublish(account: BrokerAccount, topic: string): boolean {
  return account.publish.some((filter) => topicMatches(filter, topic));
}

export function maySubscribe(account: BrokerAccount, filter: string): boolean {
  return account.subscribe.some((allowed) => filterWithin(allowed, filter));
}
