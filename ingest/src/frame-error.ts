import type { DeadLetterReason } from './contract/dead-letter-reasons.ts';

/** A frame that cannot become readings; carries the reason code and a human-readable detail. */
export class FrameError extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
  }
}
