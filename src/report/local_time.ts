/**
 * Periods in the local time zone (TZ), as cron sees them: the log stores UTC instants,
 * but "October" and "1 January" are the admin's, so days, months and years are cut in
 * local time. Run the report with TZ=UTC for UTC periods.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "YYYY-MM-DD" of an instant in local time. */
export function dayOf(time: Date): string {
  return localParts(time).day;
}

/**
 * The local day, weekday (0 = Monday) and hour of an instant, from one time-zone lookup:
 * each local getter looks the zone up again, and the reports ask millions of times.
 */
export function localParts(time: Date): { day: string; weekday: number; hour: number } {
  const local = new Date(time.getTime() - time.getTimezoneOffset() * 60_000);
  return {
    day: local.toISOString().slice(0, 10),
    weekday: (local.getUTCDay() + 6) % 7,
    hour: local.getUTCHours(),
  };
}

/** "YYYY-MM" of an instant in local time. */
export function monthOf(time: Date): string {
  return dayOf(time).slice(0, 7);
}

/** "YYYY-MM-DD hh:mm:ss" in local time, for table cells. */
export function localStamp(time: Date): string {
  return `${dayOf(time)} ${pad(time.getHours())}:${pad(time.getMinutes())}:${
    pad(time.getSeconds())
  }`;
}

/** The local time zone as pages name it: "Europe/Berlin" or "UTC". */
export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

/** The month before "YYYY-MM". */
export function previousMonthOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

/** The month after "YYYY-MM". */
export function nextMonthOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
}

/** Every day of "YYYY-MM", in order. */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length }, (_, d) => `${month}-${pad(d + 1)}`);
}

/** Every day from `first` to `last` ("YYYY-MM-DD"), both included, with none skipped. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  const [y, m, d] = first.split("-").map(Number) as [number, number, number];
  // Calendar arithmetic in UTC: a day label is a date, not an instant, so DST cannot skip one.
  for (let t = Date.UTC(y, m - 1, d); days.length < 100_000; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day > last) break;
    days.push(day);
  }
  return days;
}
