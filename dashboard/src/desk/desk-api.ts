import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, api, type RequestOptions } from '../shared/api.ts';
import type { Session } from './session.ts';

/**
 * The API as the signed-in desk calls it: the staff token added to every request, and a refused
 * token (401: expired, signed out elsewhere, the account disabled) ending the session at once -
 * the desk goes back to its sign-in with a message instead of failing action after action.
 */
export type DeskApi = <T>(path: string, opts?: Omit<RequestOptions, 'token'>) => Promise<T>;

export function deskApi(session: Session, onExpired: () => void): DeskApi {
  return async <T>(path: string, opts: Omit<RequestOptions, 'token'> = {}) => {
    try {
      return await api<T>(path, { ...opts, token: session.token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onExpired();
      throw err;
    }
  };
}

export interface DeskContextValue {
  session: Session;
  call: DeskApi;
}

export const DeskContext = createContext<DeskContextValue | null>(null);

export function useDesk(): DeskContextValue {
  const value = useContext(DeskContext);
  if (!value) throw new Error('useDesk outside the signed-in desk');
  return value;
}

/** An error as the desk shows it: the API's own message, or what went wrong otherwise. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message || err.code;
  return err instanceof Error ? err.message : String(err);
}
