/** Public API of the pure deadline engine (issue 3). */
export {
  type Calendar,
  type Weekday,
  type WorkingPeriod,
  type LocalDateTime,
  CalendarError,
  addBusinessDays,
  addBusinessHours,
  closeOfBusiness,
  endOfLocalDay,
  fromLocalDateTime,
  isBusinessDay,
  localDateOf,
  toLocalDateTime,
  validateCalendar,
  weekdayHours,
} from './calendar.ts';
export {
  type ComputeContext,
  type ComputeInput,
  type ComputedMilestone,
  type Clock,
  type CountFrom,
  type DayPoint,
  type DeadlineProfile,
  type DurationUnit,
  type MilestoneCondition,
  type MilestoneName,
  type MilestoneRule,
  type Outcome,
  type PauseInterval,
  DeadlineError,
  MILESTONE_NAMES,
  computeDueDates,
  computeRuleDue,
  describeRule,
  elapsedShare,
  profileProblems,
} from './engine.ts';
export { type ICalHoliday, ICalParseError, holidayDatesFromICal, parseICalHolidays } from './ical.ts';
export {
  getPreset,
  getPresetCalendar,
  presetCalendarMap,
  presetCalendars,
  presetProfiles,
} from './presets.ts';
export { deadlinesCli } from './cli.ts';
