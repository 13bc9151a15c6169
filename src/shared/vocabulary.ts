/** Enumerations shared by the server, the CLI and (later) the web app. */
export const languages = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const;
export type Language = (typeof languages)[number];
export const rtlLanguages: readonly Language[] = ['ar', 'fa'];

export const feedbackTypes = ['complaint', 'suggestion', 'compliment'] as const;
export type FeedbackType = (typeof feedbackTypes)[number];

export const channels = ['web', 'email', 'api', 'phone', 'in_person', 'letter', 'social_media', 'fax', 'referral', 'import'] as const;
export type Channel = (typeof channels)[number];

export const contactChannels = ['email', 'phone', 'letter', 'sms'] as const;

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const complexities = ['simple', 'standard', 'complex'] as const;
export const outcomes = ['upheld', 'partly_upheld', 'not_upheld'] as const;
