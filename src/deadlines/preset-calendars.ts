/**
 * Business calendars shipped with the presets (SPEC TIME-2). Holidays cover 2026 and 2027; later years are
 * added as data (or imported from iCalendar, see ical.ts). Weekend holidays are listed for completeness even
 * though they do not change business-day counts; substitute ("in lieu") days are listed explicitly.
 * Working hours are the usual 09:00–17:00 office day (17:00 is "close of business").
 */
import { weekdayHours, type Calendar } from './calendar.ts';

/** England & Wales bank holidays (Banking and Financial Dealings Act 1971; gov.uk/bank-holidays). */
export const gbEaw: Calendar = {
  id: 'gb-eaw',
  name: 'England and Wales (bank holidays)',
  timeZone: 'Europe/London',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    // 2026
    '2026-01-01', // New Year's Day (Thu)
    '2026-04-03', // Good Friday
    '2026-04-06', // Easter Monday
    '2026-05-04', // Early May bank holiday
    '2026-05-25', // Spring bank holiday
    '2026-08-31', // Summer bank holiday
    '2026-12-25', // Christmas Day (Fri)
    '2026-12-28', // Boxing Day (substitute day; 26 Dec is a Saturday)
    // 2027
    '2027-01-01', // New Year's Day (Fri)
    '2027-03-26', // Good Friday
    '2027-03-29', // Easter Monday
    '2027-05-03', // Early May bank holiday
    '2027-05-31', // Spring bank holiday
    '2027-08-30', // Summer bank holiday
    '2027-12-27', // Christmas Day (substitute day; 25 Dec is a Saturday)
    '2027-12-28', // Boxing Day (substitute day; 26 Dec is a Sunday)
  ],
};

/** Ireland public holidays, plus Good Friday (not a public holiday, but banks and TARGET are closed). */
export const ie: Calendar = {
  id: 'ie',
  name: 'Ireland (public and bank holidays)',
  timeZone: 'Europe/Dublin',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    '2026-01-01', // New Year's Day
    '2026-02-02', // St Brigid's Day (first Monday in February)
    '2026-03-17', // St Patrick's Day (Tue)
    '2026-04-03', // Good Friday (bank holiday only)
    '2026-04-06', // Easter Monday
    '2026-05-04', // May bank holiday
    '2026-06-01', // June bank holiday
    '2026-08-03', // August bank holiday
    '2026-10-26', // October bank holiday (last Monday)
    '2026-12-25', // Christmas Day (Fri)
    '2026-12-26', // St Stephen's Day (Sat)
    '2026-12-28', // St Stephen's Day, day in lieu (banks closed)
    '2027-01-01', // New Year's Day (Fri)
    '2027-02-01', // St Brigid's Day (1 Feb is a Monday)
    '2027-03-17', // St Patrick's Day (Wed)
    '2027-03-26', // Good Friday (bank holiday only)
    '2027-03-29', // Easter Monday
    '2027-05-03', // May bank holiday
    '2027-06-07', // June bank holiday
    '2027-08-02', // August bank holiday
    '2027-10-25', // October bank holiday
    '2027-12-25', // Christmas Day (Sat)
    '2027-12-26', // St Stephen's Day (Sun)
    '2027-12-27', // Christmas Day, day in lieu
    '2027-12-28', // St Stephen's Day, day in lieu
  ],
};

/** Euro area: TARGET closing days (ECB), Frankfurt time. No substitute days. */
export const euEcb: Calendar = {
  id: 'eu-ecb',
  name: 'Euro area (TARGET closing days)',
  timeZone: 'Europe/Berlin',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    '2026-01-01',
    '2026-04-03', // Good Friday
    '2026-04-06', // Easter Monday
    '2026-05-01', // Labour Day (Fri)
    '2026-12-25',
    '2026-12-26', // (Sat)
    '2027-01-01',
    '2027-03-26', // Good Friday
    '2027-03-29', // Easter Monday
    '2027-05-01', // (Sat)
    '2027-12-25', // (Sat)
    '2027-12-26', // (Sun)
  ],
};

/** New South Wales public holidays (Public Holidays Act 2010 (NSW)), including the NSW Bank Holiday. */
export const auNsw: Calendar = {
  id: 'au-nsw',
  name: 'Australia — New South Wales',
  timeZone: 'Australia/Sydney',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    '2026-01-01', // New Year's Day
    '2026-01-26', // Australia Day (Mon)
    '2026-04-03', // Good Friday
    '2026-04-04', // Easter Saturday
    '2026-04-05', // Easter Sunday
    '2026-04-06', // Easter Monday
    '2026-04-25', // Anzac Day (Sat; NSW has no substitute day)
    '2026-06-08', // King's Birthday (2nd Monday in June)
    '2026-08-03', // Bank Holiday (1st Monday in August; banks and financial institutions)
    '2026-10-05', // Labour Day (1st Monday in October)
    '2026-12-25', // Christmas Day (Fri)
    '2026-12-26', // Boxing Day (Sat)
    '2026-12-28', // Boxing Day additional day (Mon)
    '2027-01-01', // New Year's Day (Fri)
    '2027-01-26', // Australia Day (Tue)
    '2027-03-26', // Good Friday
    '2027-03-27', // Easter Saturday
    '2027-03-28', // Easter Sunday
    '2027-03-29', // Easter Monday
    '2027-04-25', // Anzac Day (Sun; no substitute day)
    '2027-06-14', // King's Birthday
    '2027-08-02', // Bank Holiday
    '2027-10-04', // Labour Day
    '2027-12-25', // Christmas Day (Sat)
    '2027-12-26', // Boxing Day (Sun)
    '2027-12-27', // Christmas Day additional day (Mon)
    '2027-12-28', // Boxing Day additional day (Tue)
  ],
};

/** US federal holidays (5 U.S.C. 6103), observed dates. */
export const usFederal: Calendar = {
  id: 'us-federal',
  name: 'United States — federal holidays',
  timeZone: 'America/New_York',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    '2026-01-01', // New Year's Day
    '2026-01-19', // Birthday of Martin Luther King, Jr. (3rd Monday in January)
    '2026-02-16', // Washington's Birthday (3rd Monday in February)
    '2026-05-25', // Memorial Day (last Monday in May)
    '2026-06-19', // Juneteenth (Fri)
    '2026-07-03', // Independence Day, observed (4 July is a Saturday)
    '2026-09-07', // Labor Day
    '2026-10-12', // Columbus Day
    '2026-11-11', // Veterans Day (Wed)
    '2026-11-26', // Thanksgiving Day (4th Thursday in November)
    '2026-12-25', // Christmas Day (Fri)
    '2027-01-01', // New Year's Day (Fri)
    '2027-01-18', // Birthday of Martin Luther King, Jr.
    '2027-02-15', // Washington's Birthday
    '2027-05-31', // Memorial Day
    '2027-06-18', // Juneteenth, observed (19 June is a Saturday)
    '2027-07-05', // Independence Day, observed (4 July is a Sunday)
    '2027-09-06', // Labor Day
    '2027-10-11', // Columbus Day
    '2027-11-11', // Veterans Day (Thu)
    '2027-11-25', // Thanksgiving Day
    '2027-12-24', // Christmas Day, observed (25 December is a Saturday)
    '2027-12-31', // New Year's Day 2028, observed (1 January 2028 is a Saturday)
  ],
};

/**
 * India: gazetted holidays of Central Government offices in Delhi (DoPT). 2026 is the published list; for 2027
 * only the fixed-date holidays are listed — lunar-calendar holidays (Holi, Id, Diwali, …) must be added when
 * DoPT publishes the 2027 list, and state bank holidays differ: import them (iCalendar) per deployment.
 */
export const india: Calendar = {
  id: 'in',
  name: 'India — Central Government (Delhi) gazetted holidays',
  timeZone: 'Asia/Kolkata',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [
    '2026-01-26', // Republic Day
    '2026-03-04', // Holi
    '2026-03-21', // Id-ul-Fitr (Sat)
    '2026-03-26', // Ram Navami
    '2026-03-31', // Mahavir Jayanti
    '2026-04-03', // Good Friday
    '2026-05-01', // Buddha Purnima
    '2026-05-27', // Id-ul-Zuha (Bakrid)
    '2026-06-26', // Muharram
    '2026-08-15', // Independence Day (Sat)
    '2026-08-26', // Milad-un-Nabi
    '2026-09-04', // Janmashtami
    '2026-10-02', // Mahatma Gandhi's Birthday
    '2026-10-20', // Dussehra
    '2026-11-08', // Diwali (Sun)
    '2026-11-24', // Guru Nanak's Birthday
    '2026-12-25', // Christmas Day
    '2027-01-26', // Republic Day
    '2027-03-26', // Good Friday
    '2027-08-15', // Independence Day (Sun)
    '2027-10-02', // Mahatma Gandhi's Birthday (Sat)
    '2027-12-25', // Christmas Day (Sat)
  ],
};

/** The organisation's default: UTC, Monday–Friday 09:00–17:00, no holidays (add your own). */
export const defaultCalendar: Calendar = {
  id: 'default',
  name: 'Default (UTC, Mon–Fri 09:00–17:00)',
  timeZone: 'UTC',
  workingHours: weekdayHours('09:00', '17:00'),
  holidays: [],
};

export const presetCalendars: Calendar[] = [gbEaw, ie, euEcb, auNsw, usFederal, india, defaultCalendar];
