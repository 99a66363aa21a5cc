import { Controller, Get, Param, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { isCalendarDate, notFound, validationFailed } from '@shenpi/domain';
import { WorkingCalendar, type DayInfo } from '@shenpi/scheduling';
import { ApiDoc } from '../openapi/route-doc.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day in the years the calendar can speak of (lunar data: 1901–2099). */
const isSupportedDate = (d: string) => isCalendarDate(d) && Number(d.slice(0, 4)) >= 1901 && Number(d.slice(0, 4)) <= 2095;

export class WorkingDaysQuery {
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from: string;
  @Type(() => Number) @IsInt() @Min(-1000) @Max(1000) add: number;
}

/** The working-day calendar, so a user can check a date the engine computed. */
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendar: WorkingCalendar) {}

  @ApiDoc({ summary: 'The Nth working day after a date', ok: 'WorkingDay', examples: { response: { date: '2026-02-09', provisional: false } } })
  @Get('working-days')
  workingDays(@Query() q: WorkingDaysQuery) {
    if (!isSupportedDate(q.from)) throw validationFailed([{ field: 'from', reason: 'not a calendar date between 1901 and 2095' }]);
    return this.calendar.addWorkingDays(q.from, q.add);
  }

  /** `{ date, working, holiday?: { zh, en }, provisional }`: the label of a day off or of an adjusted working day. */
  @ApiDoc({ summary: 'One day: working or not, and the holiday it belongs to', ok: 'Day', errors: [404] })
  @Get('days/:date')
  day(@Param('date') date: string): DayInfo {
    if (!isSupportedDate(date)) throw notFound(`date ${date}`);
    return this.calendar.day(date);
  }
}
