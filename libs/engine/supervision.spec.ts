import { reachedAt } from './milestone-standing.js';
import { overviewCsv, standing, type SupervisionOverview } from './supervision.js';

describe('a milestone’s standing', () => {
  // "Before 1 March 2026": the last millisecond of 28 February, Beijing time.
  const due = new Date('2026-02-28T15:59:59.999Z');

  it('is met when the step is entered at the due instant, and a day late one millisecond after', () => {
    expect(standing('s', due, '2026-02-28T15:59:59.999Z', new Date('2026-05-01T00:00:00Z'))).toMatchObject({ met: true, daysOverdue: 0 });
    expect(standing('s', due, '2026-02-28T16:00:00.000Z', new Date('2026-05-01T00:00:00Z'))).toMatchObject({ met: false, daysOverdue: 1 });
  });

  it('counts Beijing calendar days, not 24-hour periods', () => {
    // 1 March 23:59 Beijing is still one day late; 2 March 00:00 Beijing is two.
    expect(standing('s', due, '2026-03-01T15:59:00.000Z', due).daysOverdue).toBe(1);
    expect(standing('s', due, '2026-03-01T16:00:00.000Z', due).daysOverdue).toBe(2);
  });

  it('is undecided until the date passes, then overdue as of now', () => {
    expect(standing('s', due, null, new Date('2026-02-28T15:59:59.999Z'))).toEqual({ key: 's', dueAt: due.toISOString(), reachedAt: null, met: null, overdue: false, daysOverdue: 0 });
    expect(standing('s', due, null, new Date('2026-03-10T02:00:00Z'))).toMatchObject({ met: false, overdue: true, daysOverdue: 10 });
  });

  it('is overdue only while unreached: reached late it is late, not overdue', () => {
    expect(standing('s', due, '2026-03-05T02:00:00Z', new Date('2026-03-10T02:00:00Z'))).toMatchObject({ met: false, overdue: false, daysOverdue: 5 });
  });
});

describe('when a milestone was reached', () => {
  // "Before 1 April 2026": the last millisecond of 31 March, Beijing time.
  const due = new Date('2026-03-31T15:59:59.999Z');
  const now = new Date('2026-12-06T02:00:00Z');
  const recorded = (publishedOn: string) => ({ at: now.toISOString(), details: { disclosure: { url: 'https://example.gov.cn/r.html', publishedOn } } });

  it('is the entry’s instant, or nothing when no entry entered the step', () => {
    expect(reachedAt({ at: '2026-03-05T02:00:00.000Z', details: { comment: '同意' } })).toBe('2026-03-05T02:00:00.000Z');
    expect(reachedAt(undefined)).toBeNull();
  });

  it('is the publication day (its start, Beijing time) when the entry recorded a disclosure, however late it was recorded', () => {
    expect(reachedAt(recorded('2026-03-20'))).toBe('2026-03-19T16:00:00.000Z');
    expect(standing('publication', due, reachedAt(recorded('2026-03-20')), now)).toMatchObject({ met: true, daysOverdue: 0 });
    // Published on the last day is met; the day after is one day late, whenever it was recorded.
    expect(standing('publication', due, reachedAt(recorded('2026-03-31')), now)).toMatchObject({ met: true, daysOverdue: 0 });
    expect(standing('publication', due, reachedAt(recorded('2026-04-01')), now)).toMatchObject({ met: false, daysOverdue: 1 });
  });
});

describe('the overview as CSV', () => {
  const overview: SupervisionOverview = {
    chain: 'annual-report',
    chainVersion: 1,
    year: 2025,
    generatedAt: '2026-04-10T02:00:00.000Z',
    milestones: [{ key: 'submission', name: { zh: '报送', en: 'Submission' }, step: 'office-review', dueAt: '2026-02-28T15:59:59.999Z' }],
    departments: [
      {
        departmentId: 'd1',
        departmentName: '某局, "甲"',
        documentId: 'x',
        title: '=HYPERLINK("http://evil")',
        state: 'draft',
        milestones: [{ key: 'submission', dueAt: '2026-02-28T15:59:59.999Z', reachedAt: null, met: null, overdue: false, daysOverdue: 0 }],
      },
    ],
    onTimeRate: [],
    stepDurations: [],
  };

  it('quotes commas and quotes, and defuses formulas', () => {
    const [, row] = overviewCsv(overview).slice(1).split('\r\n');
    expect(row).toBe(`d1,"某局, ""甲""",x,"'=HYPERLINK(""http://evil"")",draft,报送 / Submission,2026-02-28T15:59:59.999Z,,未到期 / not yet due,0,,,`);
  });
});
