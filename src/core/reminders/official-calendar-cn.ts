// The only file that knows about the `chinese-days` package: mainland China's official public holidays and
// make-up working days (调休), as published by the State Council each year.
import { createRequire } from 'node:module';
import type { OfficialCalendar } from './calendar.js';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

// Read the package's published data file rather than calling its isWorkday(): that function parses
// 'yyyy-MM-dd' as UTC midnight and reads it back in the process's local zone, so on a server west of UTC it
// answers for the previous day (a Saturday comes back as a working day). createRequire because the package
// is CommonJS without an exports map, and a JSON import would warn on Node 20.
const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;

function yearsOf(d: ChineseDaysData): { first: number; last: number } {
  const years = [...Object.keys(d.holidays), ...Object.keys(d.workdays)].map((k) => Number(k.slice(0, 4)));
  return { first: Math.min(...years), last: Math.max(...years) };
}

export const chinaOfficialCalendar: OfficialCalendar = {
  name: 'chinese-days',
  years: yearsOf(data),
  override(localDate) {
    // A make-up working day is never also a holiday, but check it first so a bad data row errs towards work.
    if (Object.hasOwn(data.workdays, localDate)) return 'workday';
    if (Object.hasOwn(data.holidays, localDate)) return 'holiday';
    return null;
  },
};
