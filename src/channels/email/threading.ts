import { parseReference } from '../../complaints/reference.ts';

/**
 * Threading (CHAN-1, CHAN-2). Every e-mail about a case carries the case's thread id in References, and answers the
 * complainant's latest message (In-Reply-To), so mail clients show one conversation per case. Replies are matched
 * back by those ids, by the reference in the subject, or by the plus-address (`complaints+7K4M-9QX2@…`) that is the
 * Reply-To of every notification.
 */
export const caseThreadId = (complaintId: string) => `<complaint.${complaintId}@redress>`;
const CASE_THREAD = /^<complaint\.([0-9a-f-]{36})@redress>$/i;

export function complaintIdFromThreadId(id: string): string | null {
  return CASE_THREAD.exec(id.trim())?.[1]?.toLowerCase() ?? null;
}

/** `Name <local@domain>` → local@domain */
export function addressOf(mailbox: string): string {
  const m = /<([^<>]+)>\s*$/.exec(mailbox);
  return (m ? m[1]! : mailbox).trim().toLowerCase();
}

/** The plus-address for a case: `local+REFERENCE@domain` of the sender address. */
export function plusAddress(mailFrom: string, reference: string): string {
  const address = addressOf(mailFrom);
  const at = address.lastIndexOf('@');
  if (at < 1) return address;
  return `${address.slice(0, at).split('+')[0]}+${reference}@${address.slice(at + 1)}`;
}

/** The reference in the plus part of an address, if valid. */
export function referenceFromPlusAddress(address: string): string | null {
  const m = /^[^@+]+\+([^@]+)@/.exec(addressOf(address));
  if (!m) return null;
  const parsed = parseReference(m[1]!);
  return parsed.ok ? parsed.reference : null;
}

const REF_IN_TEXT = /(?<![0-9A-Za-z])([0-9A-Za-z]{4})[-\u2010-\u2015\u2212]([0-9A-Za-z]{4})(?![0-9A-Za-z])|(?<![0-9A-Z])([0-9A-Z]{8})(?![0-9A-Z])/g;

/** Valid references found in a subject line (written `7K4M-9QX2`, or `7K4M9QX2` in capitals). */
export function referencesInText(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(REF_IN_TEXT)) {
    const candidate = m[3] ?? `${m[1]}${m[2]}`;
    if (m[3] && !/\d/.test(candidate)) continue; // an 8-letter word is not a reference
    const parsed = parseReference(candidate);
    if (parsed.ok) out.add(parsed.reference);
  }
  return [...out];
}

/** Message-ids (`<…>`) in In-Reply-To / References header values. */
export function messageIdsIn(values: Array<string | string[] | undefined | null>): string[] {
  const out: string[] = [];
  for (const v of values.flat()) {
    if (!v) continue;
    for (const m of String(v).matchAll(/<[^<>\s]+>/g)) out.push(m[0]);
    if (!/[<>]/.test(String(v)) && /^[^\s@]+@[^\s@]+$/.test(String(v).trim())) out.push(`<${String(v).trim()}>`);
  }
  return [...new Set(out)].slice(0, 100);
}
