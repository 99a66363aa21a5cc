import type { Doc, MilestoneStanding, Name } from '../../api';
import { fillIn, formatDate, pick, t } from '../../i18n';
import { ScrollBox } from '../../util';

/** What a mark says: the API's judgement only (never the browser's clock). */
type Standing = 'overdue' | 'late' | 'met' | 'reached' | 'pending';
/** A milestone as the document view (`reached`) or the timeline and the overview (`met`, `reachedAt`) give it. */
type Judged = { overdue: boolean; daysOverdue: number; reached?: boolean; met?: boolean | null };

function standingOf(m: Judged): Standing {
  if (m.overdue) return 'overdue';
  if (m.met === true) return 'met';
  // Not overdue, yet not met: reached after its date.
  if (m.met === false) return 'late';
  return m.reached ? 'reached' : 'pending';
}

const days = (one: 'msOverdueOne' | 'msReachedLateOne', many: 'msOverdue' | 'msReachedLate', n: number) => fillIn(t(n === 1 ? one : many), { n });

/**
 * A milestone's standing in words: 已逾期 N 天 (unreached past its date), 逾期 N 天完成 (reached late),
 * 按期完成 / 已完成, or 未到期; `data-standing` and `data-days-overdue` carry the API's values.
 */
export function MilestoneMark({ m }: { m: Judged }) {
  const standing = standingOf(m);
  const attrs = { 'data-standing': standing, 'data-days-overdue': String(m.daysOverdue) };
  if (standing === 'overdue') return <span class="tag tag-red" title={t('msOverdueHint')} {...attrs}>{days('msOverdueOne', 'msOverdue', m.daysOverdue)}</span>;
  if (standing === 'late') return <span class="tag tag-amber" {...attrs}>{days('msReachedLateOne', 'msReachedLate', m.daysOverdue)}</span>;
  if (standing === 'met') return <span class="tag tag-green" {...attrs}>{t('msMet')}</span>;
  if (standing === 'reached') return <span class="tag tag-green" {...attrs}>{t('reached')}</span>;
  return <span class="muted" {...attrs}>{t('msNotYetDue')}</span>;
}

/** The document view's statutory dates, each with its standing as the API answers it. */
export function MilestoneList({ milestones }: { milestones: NonNullable<Doc['milestones']> }) {
  return (
    <ul data-testid="milestones">
      {milestones.map((m) => (
        <li key={m.key} data-key={m.key}>{pick(m.name)}: <time dateTime={formatDate(m.dueAt)}>{formatDate(m.dueAt)}</time> <MilestoneMark m={m} /></li>
      ))}
    </ul>
  );
}

/** The timeline's statutory dates: when each was reached (the publication date for a disclosure) and how it stands. */
export function TimelineMilestones({ milestones }: { milestones: (MilestoneStanding & { name: Name; step: string })[] }) {
  if (!milestones.length) return null;
  return (
    <>
      <h3>{t('milestones')}</h3>
      <ScrollBox label={t('milestones')}>
        <table data-testid="timeline-milestones">
          <thead><tr><th scope="col">{t('msName')}</th><th scope="col">{t('msDueOn')}</th><th scope="col">{t('msReachedOn')}</th><th scope="col">{t('msStanding')}</th></tr></thead>
          <tbody>
            {milestones.map((m) => (
              <tr key={m.key} data-key={m.key}>
                <td>{pick(m.name)}</td>
                <td>{formatDate(m.dueAt)}</td>
                <td>{formatDate(m.reachedAt)}</td>
                <td><MilestoneMark m={m} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </>
  );
}
