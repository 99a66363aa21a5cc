import { useState } from 'preact/hooks';
import { ApiError, fieldErrors, get, put, serverToday, type Name } from '../api';
import { pick, t, type Key } from '../i18n';
import { Loading, useLoad, useSubmit } from '../util';

/** A year as GET /api/calendar/years/:year answers it: each day named `{ zh, en }`, whatever the source. */
interface CalendarYear { year: number; source: 'uploaded' | 'file' | 'package' | 'law'; provisional: boolean; holidays: Record<string, Name>; workdays: Record<string, Name> }
const SOURCES: Record<CalendarYear['source'], Key> = { uploaded: 'srcUploaded', file: 'srcFile', package: 'srcPackage', law: 'srcLaw' };

/**
 * The working calendar (global administrators): a year's days off and adjusted working days as the
 * engine counts them, and the upload of the State Council's arrangement for a year (the JSON of
 * calendar/README.md), after which the documents' due dates in that year are recomputed.
 */
export function Calendar() {
  const [year, setYear] = useState(() => Number(serverToday().slice(0, 4)) + 1);
  const [shown, setShown] = useState(year);
  const calendar = useLoad(() => get<CalendarYear>(`/api/calendar/years/${shown}`), [shown]);
  return (
    <section aria-labelledby="calendar-title">
      <h1 id="calendar-title">{t('calendarTitle')}</h1>
      <section class="card" aria-labelledby="calendar-year-title">
        <h2 id="calendar-year-title">{shown} · {t('calendarTitle')}</h2>
        <form class="row" onSubmit={(e) => { e.preventDefault(); setShown(year); }}>
          <div><label for="calendar-year">{t('year')}</label><input id="calendar-year" type="number" min={2000} max={2100} value={year} onInput={(e) => setYear(Number(e.currentTarget.value))} /></div>
          <div class="buttons"><button type="submit">{t('show')}</button></div>
        </form>
        <Loading error={calendar.error} loading={calendar.loading && !calendar.data} />
        {calendar.data && <YearView data={calendar.data} />}
      </section>
      <Upload shown={shown} onUploaded={(y) => { setYear(y); if (y === shown) calendar.reload(); else setShown(y); }} />
    </section>
  );
}

function YearView({ data }: { data: CalendarYear }) {
  return (
    <div data-testid="calendar-year" data-year={data.year} data-source={data.source} data-provisional={String(data.provisional)}>
      <p>
        {t('source')}: {t(SOURCES[data.source] ?? 'srcLaw')}
        {data.provisional && <span class="tag tag-amber" title={t('provisionalHint')}> （{t('provisional')}）</span>}
      </p>
      <div class="row">
        <Days caption={t('holidays')} days={data.holidays} kind="holiday" />
        <Days caption={t('workdays')} days={data.workdays} kind="workday" />
      </div>
    </div>
  );
}

/** The days of one kind, each named in the page's language. */
function Days({ caption, days, kind }: { caption: string; days: Record<string, Name>; kind: string }) {
  const dates = Object.keys(days).sort();
  return (
    <table data-testid={`calendar-${kind}s`}>
      <caption>{caption} ({dates.length})</caption>
      <thead><tr><th scope="col">{t('date')}</th><th scope="col">{t('label')}</th></tr></thead>
      <tbody>
        {dates.map((d) => <tr key={d} data-date={d}><td><time dateTime={d}>{d}</time></td><td>{pick(days[d])}</td></tr>)}
      </tbody>
    </table>
  );
}

/** The year's arrangement from a file or pasted, sent as it is: the API checks it and names what is wrong. */
/** `shown`: the year on screen, for a notice that does not say its own (the API then names `year`). */
function Upload({ shown, onUploaded }: { shown: number; onUploaded: (year: number) => void }) {
  const [text, setText] = useState('');
  const [jsonError, setJsonError] = useState('');
  // The fields the API named (the refusal above says why): the text is marked invalid.
  const [errors, setErrors] = useState<string[]>([]);
  const submit = useSubmit();
  const readFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  };
  const upload = (e: Event) => {
    e.preventDefault();
    setJsonError('');
    setErrors([]);
    let body: { year?: unknown };
    try {
      body = JSON.parse(text);
    } catch (err) {
      setJsonError(`${t('jsonError')}: ${(err as Error).message}`);
      return;
    }
    const year = Number.isInteger(body?.year) ? Number(body.year) : shown;
    void submit.run(async () => {
      try {
        const res = await put<{ year: number; documentsMoved: number; timersMoved: number }>(`/api/calendar/years/${year}`, body);
        onUploaded(res.year);
        return `${t('uploadedYear')} ${res.year}：${res.documentsMoved} ${t('documentsMoved')}，${res.timersMoved} ${t('timersMoved')}`;
      } catch (err) {
        if (err instanceof ApiError) setErrors(Object.keys(fieldErrors(err)));
        throw err;
      }
    });
  };
  return (
    <section class="card" aria-labelledby="calendar-upload-title">
      <h2 id="calendar-upload-title">{t('uploadYear')}</h2>
      <p class="muted">{t('uploadHint')} <code translate={false}>{'{ "year": 2027, "holidays": { "2027-01-01": "元旦", … }, "workdays": { … } }'}</code></p>
      <form onSubmit={upload}>
        <label for="calendar-file">{t('jsonFile')}</label>
        <input id="calendar-file" type="file" accept="application/json,.json" onChange={readFile} />
        <label for="calendar-json">{t('jsonText')}</label>
        <textarea id="calendar-json" class="code" rows={14} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)}
          aria-invalid={!!jsonError || errors.length > 0 || undefined}
          data-invalid-fields={errors.join(' ') || undefined} />
        {jsonError && <p class="error" role="alert">{jsonError}</p>}
        {submit.shown}
        <div class="buttons"><button type="submit" class="primary" disabled={submit.busy || !text.trim()}>{t('upload')}</button></div>
      </form>
    </section>
  );
}
