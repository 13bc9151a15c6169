import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../audit/canonical.ts';

/** A long random secret (256 bits) for sessions and API keys. Only its SHA-256 digest is stored. */
export const newSecret = () => randomBytes(32).toString('base64url');
export const digestOf = (secret: string) => sha256Hex(secret);
