import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';

/** A posted form, urlencoded or multipart, as lists of values per name, and its files. */
export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
  /** Cut off at the size limit: the file is too large. */
  truncated: boolean;
}

export class FormInput {
  constructor(
    readonly fields: Map<string, string[]>,
    readonly files: UploadedFile[] = [],
  ) {}

  /** The first value, with NUL and other invisible control characters removed (never stored), or ''. */
  get(name: string): string {
    return clean(this.fields.get(name)?.[0] ?? '');
  }

  all(name: string): string[] {
    return (this.fields.get(name) ?? []).map(clean);
  }

  has(name: string): boolean {
    return this.get(name).trim() !== '';
  }
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const clean = (value: string) => value.replace(CONTROL, '').replace(/\r\n?/g, '\n');

/** Parser for application/x-www-form-urlencoded bodies (registered in the portal's context only). */
export function parseUrlEncoded(body: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) (out[k] ??= []).push(v);
  return out;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;

/** Reads the request's form. Multipart parts are read in full; files over the size limit come back truncated. */
export async function readForm(request: FastifyRequest): Promise<FormInput> {
  const fields = new Map<string, string[]>();
  const add = (k: string, v: string) => fields.set(k, [...(fields.get(k) ?? []), v]);
  if (!request.isMultipart()) {
    // Only our own form parser yields an object here; any other body (text/plain, JSON) counts as an empty form.
    const body = (request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body : {}) as Record<string, string[] | string>;
    for (const [k, v] of Object.entries(body)) for (const value of Array.isArray(v) ? v : [v]) add(k, String(value));
    return new FormInput(fields);
  }
  const files: UploadedFile[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        add(part.fieldname, typeof part.value === 'string' ? part.value : '');
        continue;
      }
      const bytes = await part.toBuffer();
      // An empty file input still sends a part without a name and without content.
      if (!part.filename && bytes.length === 0) continue;
      files.push({ filename: part.filename || 'attachment', bytes: new Uint8Array(bytes), truncated: part.file.truncated });
    }
  } catch (error) {
    // A malformed or cut-off multipart body is the sender's problem (400), whatever the parser calls it.
    const status = (error as { statusCode?: number }).statusCode;
    throw new AppError(status && status >= 400 && status < 500 ? status : 400, 'bad_form', 'The form could not be read');
  }
  return new FormInput(fields, files);
}
