import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations. ~16 ms here: fine at login, never per API request.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both cases take the same time. */
let dummy: Promise<string> | null = null;
export const dummyHash = () => (dummy ??= hashPassword('redress-timing-equaliser'));

export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'Passwords must be at least 12 characters long';
  if (password.length > 512) return 'Passwords must be at most 512 characters long';
  return null;
}
