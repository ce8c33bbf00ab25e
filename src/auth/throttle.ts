/**
 * Sign-in throttling: how long a key (an account, an unknown email's hash, a
 * client address) must wait after failed attempts. Pure rules over a small state,
 * so the same rules apply to what the database keeps (accounts) and to what the
 * process keeps in memory (addresses and unknown emails).
 *
 * Within a window measured from the last failure: the first `throttleAfter`
 * failures cost nothing; each failure after that must wait `baseDelayMs`, doubled
 * each time (30 s, 1 min, 2 min, …); at `lockAfter` failures the key is locked
 * for `lockMs`. A success clears an account's state.
 */
export interface FailureState {
  failures: number;
  lastFailedAt: number | null;
  lockedUntil: number | null;
}

export interface ThrottlePolicy {
  windowMs: number;
  throttleAfter: number;
  baseDelayMs: number;
  lockAfter: number;
  lockMs: number;
}

/** Per account (and per unknown email, so an unknown one answers the same): 5 free tries, locked at 10 for 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = { windowMs: 15 * 60_000, throttleAfter: 5, baseDelayMs: 30_000, lockAfter: 10, lockMs: 15 * 60_000 };
/** Per client address, across accounts: an office behind one address gets room for its staff's typos. */
export const ADDRESS_POLICY: ThrottlePolicy = { windowMs: 15 * 60_000, throttleAfter: 20, baseDelayMs: 30_000, lockAfter: 50, lockMs: 15 * 60_000 };

export const NO_FAILURES: FailureState = { failures: 0, lastFailedAt: null, lockedUntil: null };

/** Milliseconds the key must wait before its next attempt; 0 when it may try now. */
export function waitMs(state: FailureState, policy: ThrottlePolicy, now: number): number {
  if (state.lockedUntil !== null && state.lockedUntil > now) return state.lockedUntil - now;
  if (state.lastFailedAt === null || now - state.lastFailedAt >= policy.windowMs) return 0;
  if (state.failures < policy.throttleAfter) return 0;
  const delay = Math.min(policy.windowMs, policy.baseDelayMs * 2 ** (state.failures - policy.throttleAfter));
  return Math.max(0, state.lastFailedAt + delay - now);
}

/** The state after one more failure at `now`. */
export function afterFailure(state: FailureState, policy: ThrottlePolicy, now: number): FailureState {
  const fresh = state.lastFailedAt === null || now - state.lastFailedAt >= policy.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const stillLocked = state.lockedUntil !== null && state.lockedUntil > now ? state.lockedUntil : null;
  return { failures, lastFailedAt: now, lockedUntil: failures >= policy.lockAfter ? now + policy.lockMs : stillLocked };
}

/**
 * Failure states kept in this process's memory. Enough for client addresses and
 * unknown emails (a restart forgets them; the accounts' own counts are in the
 * database). Bounded: past 50,000 keys it starts again empty.
 */
export class MemoryThrottle {
  private readonly states = new Map<string, FailureState>();
  constructor(readonly policy: ThrottlePolicy) {}

  waitMs(key: string, now: number): number {
    const state = this.states.get(key);
    return state ? waitMs(state, this.policy, now) : 0;
  }

  fail(key: string, now: number): FailureState {
    if (this.states.size > 50_000) this.states.clear();
    const next = afterFailure(this.states.get(key) ?? NO_FAILURES, this.policy, now);
    this.states.set(key, next);
    return next;
  }

  clear(key: string): void {
    this.states.delete(key);
  }
}

/** The in-memory guards one app keeps: per client address, and per unknown email's hash. */
export interface LoginGuards {
  address: MemoryThrottle;
  unknownEmail: MemoryThrottle;
}

export function createLoginGuards(): LoginGuards {
  return { address: new MemoryThrottle(ADDRESS_POLICY), unknownEmail: new MemoryThrottle(ACCOUNT_POLICY) };
}
