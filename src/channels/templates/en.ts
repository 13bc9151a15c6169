import type { TemplateStrings } from './types.ts';

export const en: TemplateStrings = {
  greeting: 'Dear {name},',
  greetingAnonymous: 'Hello,',
  signature: 'The complaints team',
  labels: { reference: 'Reference', track: 'Follow your complaint', reasons: 'Reasons', remedies: 'What we will do', reason: 'Reason' },
  outcomes: { upheld: 'upheld', partly_upheld: 'partly upheld', not_upheld: 'not upheld' },
  acknowledgement: {
    subject: 'We have received your complaint – reference {reference}',
    heading: 'Thank you for contacting us',
    received: 'We received your complaint on {receivedDate} and gave it the reference {reference}. Please quote it whenever you contact us.',
    whatNext:
      'What happens next: a member of our complaints team will review what you told us, will contact you if we need more information, and will send you our response in writing.',
    due: 'We aim to send you our response by {dueDate}.',
    track: 'You can follow your complaint at any time: {trackingUrl}',
    reply: 'To add information, simply reply to this e-mail and keep the reference in the subject.',
    sms: 'We received your complaint. Reference {reference}. Track it: {trackingUrl}',
  },
  message: {
    subject: 'A message about your complaint {reference}',
    intro: 'Our complaints team has written to you about your complaint {reference}:',
    sms: 'We have sent you a message about your complaint {reference}: {trackingUrl}',
  },
  informationRequest: {
    subject: 'We need more information – complaint {reference}',
    intro: 'To continue looking into your complaint {reference}, we need some more information from you:',
    after: 'Please reply to this e-mail (keep the reference in the subject) or use your tracking link: {trackingUrl}',
    sms: 'We need more information about your complaint {reference}: {trackingUrl}',
  },
  decision: {
    subject: 'Our response to your complaint {reference}',
    intro: 'We have finished looking into your complaint {reference}. Our decision: your complaint is {outcome}.',
    options:
      'If you are not satisfied with our response, reply to this e-mail within eight weeks and someone who was not involved in the decision will review it. You may also refer your complaint, free of charge, to the ombudsman or an independent dispute-resolution body; time limits apply (usually six months from the date of this letter).',
    sms: 'We have sent you our response to your complaint {reference}: {trackingUrl}',
  },
  closure: {
    subject: 'Your complaint {reference} is closed',
    body: 'We have closed your complaint {reference}. Thank you for giving us the chance to put things right.',
    reopen: 'If something is still not resolved, reply to this e-mail and we will look at it again.',
    sms: 'Your complaint {reference} is closed.',
  },
  survey: {
    subject: 'How did we handle your complaint {reference}?',
    body: 'We would like to know how we handled your complaint – not whether you agreed with the outcome, but how we dealt with you. The survey takes about two minutes: {surveyUrl}',
    sms: 'How did we handle your complaint {reference}? {surveyUrl}',
  },
  withdrawn: {
    subject: 'Your complaint {reference} has been withdrawn',
    body: 'As you asked, we have withdrawn your complaint {reference}. If you change your mind, reply to this e-mail.',
    sms: 'Your complaint {reference} has been withdrawn as you asked.',
  },
  outOfScope: {
    subject: 'About your complaint {reference}',
    body: 'We have looked at your complaint {reference}; it is not something we can deal with under our complaints procedure.',
    disagree: 'If you disagree, reply to this e-mail.',
    sms: 'We have written to you about your complaint {reference}: {trackingUrl}',
  },
  portalLink: {
    subject: 'Your new tracking link – complaint {reference}',
    body: 'Here is your new private link to follow your complaint {reference}: {trackingUrl}',
    secret: 'Your new secret code, to use with the reference: {secret}',
    sms: 'New tracking link for your complaint {reference}: {trackingUrl}',
  },
};
