import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Matches, Max, Min } from 'class-validator';
import { isCalendarDate, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { Engine, type CalendarUpload, type CalendarYearView } from '@shenpi/engine';
import { WorkingCalendar, type DayInfo } from '@shenpi/scheduling';
import { ApiDoc } from '../openapi/route-doc.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day in the years the calendar can speak of (lunar data: 1901–2099). */
const isSupportedDate = (d: string) => isCalendarDate(d) && Number(d.slice(0, 4)) >= 1901 && Number(d.slice(0, 4)) <= 2095;

export class WorkingDaysQuery {
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from: string;
  @Type(() => Number) @IsInt() @Min(-1000) @Max(1000) add: number;
}

/** A year's official arrangement, as `calendar/README.md` describes its file; the engine checks the dates and names. */
export class CalendarYearDto {
  @IsInt() year: number;
  @IsObject() holidays: Record<string, string>;
  @IsObject() workdays: Record<string, string>;
}

/** The year of an address: four digits, within the lunar data the law's holidays are computed from. */
function yearParam(raw: string): number {
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 1901 || year > 2095) throw validationFailed([{ field: 'year', reason: 'must be a year from 1901 to 2095, e.g. 2027' }]);
  return year;
}

/** The working-day calendar, so a user can check a date the engine computed; global administrators upload a year's notice. */
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly calendar: WorkingCalendar,
    private readonly engine: Engine,
  ) {}

  /**
   * A year's holidays and adjusted working days, each named `{ zh, en }` as GET days/:date names it,
   * and where they come from (`law`: no notice known, provisional).
   */
  @ApiDoc({ summary: 'A year\'s holidays and adjusted working days, and where they come from', ok: 'CalendarYear' })
  @Get('years/:year')
  year(@Param('year') year: string): CalendarYearView {
    return this.engine.calendarYears.view(yearParam(year));
  }

  /** A global administrator's upload of the State Council's arrangement; the documents whose deadlines it moved are counted. */
  @ApiDoc({
    summary: 'Upload a year\'s official arrangement (global administrators); deadlines spanning it are planned again',
    ok: 'CalendarUploaded',
    errors: [403, 409],
    examples: { request: { year: 2027, holidays: { '2027-01-01': '元旦' }, workdays: {} } },
  })
  @Put('years/:year')
  upload(@CurrentPrincipal() principal: Principal, @Param('year') year: string, @Body() body: CalendarYearDto): Promise<CalendarUpload> {
    return this.engine.calendarYears.upload(principal, yearParam(year), body);
  }

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
