/**
 * Removes personal data from text that goes to logs or to the delivery log (PRIV-5): e-mail addresses, phone
 * numbers and credentials in URLs. Servers' answers often quote the recipient ("550 <bob@example.com>: unknown").
 */
const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[^\s<>()"',;:]+/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;
const PHONE = /\+?\d[\d ().-]{6,}\d/g;

export function redactPersonalData(text: string): string {
  return String(text).replace(URL_CREDENTIALS, '$1***@').replace(EMAIL, '<address>').replace(PHONE, '<number>');
}
