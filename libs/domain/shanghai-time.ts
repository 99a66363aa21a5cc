const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The calendar date in Asia/Shanghai (UTC+8, no daylight saving) at an instant: "today" for users. */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Date and minute in Asia/Shanghai, `YYYY-MM-DD HH:mm`: how a time is shown to users in messages. */
export const shanghaiDateTime = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A real calendar day written `YYYY-MM-DD` (JavaScript would roll 30 February over to March). */
export const isCalendarDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** The first millisecond of a Shanghai calendar day, as a UTC instant. */
export const startOfShanghaiDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);

/** The last millisecond of a Shanghai calendar day, as a UTC instant: when "by that day" ends. */
export const endOfShanghaiDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - SHANGHAI_OFFSET_MS - 1);
