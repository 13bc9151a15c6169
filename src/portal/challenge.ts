import { createHash, randomBytes } from 'node:crypto';
import { hmac, sameText } from './security.ts';

/**
 * Abuse resistance without charging or excluding anyone (INT-8), all self-hosted: counters per address and overall,
 * and — only when the rate is high — a challenge on submission. With JavaScript the browser solves a small
 * proof of work (SHA-256 with leading zero bits) while the person types; without JavaScript the same challenge is
 * accepted once it is old enough (a person filling the form takes longer than a script).
 */
export class SlidingCounter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  count(key: string, now = Date.now()): number {
    const list = this.hits.get(key);
    if (!list) return 0;
    const fresh = list.filter((t) => t > now - this.windowMs);
    if (fresh.length === 0) this.hits.delete(key);
    else this.hits.set(key, fresh);
    return fresh.length;
  }

  add(key: string, now = Date.now()): void {
    if (this.hits.size > 50_000) for (const k of [...this.hits.keys()]) this.count(k, now);
    const list = this.hits.get(key) ?? [];
    list.push(now);
    this.hits.set(key, list.slice(-1000));
  }
}

export interface ChallengeOptions {
  /** Leading zero bits of SHA-256(challenge ":" solution). 16 bits ≈ 65,000 hashes: well under a second on a phone. */
  bits: number;
  /** Without JavaScript, the challenge counts as met this long after the form was shown. */
  waitSeconds: number;
  lifetimeMs: number;
}

export type ChallengeResult = 'ok' | 'missing' | 'invalid' | 'used' | 'unsolved';

export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

export class ChallengeIssuer {
  private readonly used = new Map<string, number>();
  constructor(
    private readonly key: () => Promise<Buffer>,
    readonly options: ChallengeOptions,
  ) {}

  async issue(address: string, now = Date.now()): Promise<string> {
    const payload = Buffer.from(JSON.stringify({ n: randomBytes(12).toString('base64url'), t: now, b: this.options.bits })).toString('base64url');
    const sig = hmac(await this.key(), `pow|${payload}|${address}`).toString('base64url');
    return `${payload}.${sig}`;
  }

  async verify(address: string, challenge: string | undefined, solution: string | undefined, now = Date.now()): Promise<ChallengeResult> {
    if (!challenge) return 'missing';
    const [payload = '', sig = ''] = challenge.split('.');
    if (!payload || !sig || challenge.length > 400) return 'invalid';
    if (!sameText(hmac(await this.key(), `pow|${payload}|${address}`).toString('base64url'), sig)) return 'invalid';
    let parsed: { n?: unknown; t?: unknown; b?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      return 'invalid';
    }
    const { n, t, b } = parsed;
    if (typeof n !== 'string' || typeof t !== 'number' || typeof b !== 'number') return 'invalid';
    if (now - t > this.options.lifetimeMs) return 'invalid';
    for (const [k, expires] of this.used) if (expires < now) this.used.delete(k);
    if (this.used.has(n)) return 'used';
    const solved =
      typeof solution === 'string' &&
      /^[0-9]{1,12}$/.test(solution) &&
      leadingZeroBits(createHash('sha256').update(`${challenge}:${solution}`).digest()) >= b;
    if (!solved && now - t < this.options.waitSeconds * 1000) return 'unsolved';
    this.used.set(n, t + this.options.lifetimeMs);
    return 'ok';
  }
}

/** Finds a solution (used by the tests; the browser runs the same loop in portal.js). */
export function solveChallenge(challenge: string, bits: number): string {
  for (let i = 0; ; i++) {
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${i}`).digest()) >= bits) return String(i);
  }
}
