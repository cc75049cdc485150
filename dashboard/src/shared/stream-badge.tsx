import type { StreamStatus } from './stream.ts';

const MARKS: Record<StreamStatus, string> = { live: '●', connecting: '…', offline: '✕' };

/** The live stream's state in the page's header: a mark for the eye and the page's words for it. */
export function StreamBadge({ status, words, class: className }: StreamBadgeProps) {
  return (
    <span class={`${className} ${status}`} data-testid="stream-status" data-status={status}>
      <span aria-hidden="true">{MARKS[status]}</span> {words[status]}
    </span>
  );
}

export interface StreamBadgeProps {
  status: StreamStatus;
  words: Record<StreamStatus, string>;
  /** The page's own class for it (its colours). */
  class: string;
}
