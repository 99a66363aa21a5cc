export * from './scheduler-kind.js';
export * from './calendar/calendar-data.js';
export * from './calendar/working-calendar.js';
