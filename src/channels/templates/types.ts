/**
 * The complainant notifications in one language (CHAN-2, CHAN-4, LIFE-6, I18N-1). Placeholders in braces:
 * {name} {reference} {receivedDate} {dueDate} {trackingUrl} {surveyUrl} {outcome} {secret}. Adding a language is adding one
 * file like en.ts; a test reports missing or empty strings.
 */
export interface TemplateStrings {
  greeting: string;
  greetingAnonymous: string;
  signature: string;
  labels: { reference: string; track: string; reasons: string; remedies: string; reason: string };
  outcomes: { upheld: string; partly_upheld: string; not_upheld: string };
  acknowledgement: { subject: string; heading: string; received: string; whatNext: string; due: string; track: string; reply: string; sms: string };
  message: { subject: string; intro: string; sms: string };
  informationRequest: { subject: string; intro: string; after: string; sms: string };
  decision: { subject: string; intro: string; options: string; sms: string };
  closure: { subject: string; body: string; reopen: string; sms: string };
  survey: { subject: string; body: string; sms: string };
  withdrawn: { subject: string; body: string; sms: string };
  outOfScope: { subject: string; body: string; disagree: string; sms: string };
  portalLink: { subject: string; body: string; secret: string; sms: string };
}
