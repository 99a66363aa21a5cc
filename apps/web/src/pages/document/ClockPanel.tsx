import { useState } from 'preact/hooks';
import { post } from '../../api';
import { formatTime, t, type Key } from '../../i18n';
import { useSubmit } from '../../util';
import { fill, myTaskId, personName, type PanelProps } from './shared';

type Operation = 'pause' | 'resume' | 'restart' | 'request-extension' | 'approve-extension' | 'reject-extension';
const DONE: Record<Operation, Key> = {
  pause: 'dpPaused', resume: 'dpResumed', restart: 'dpRestarted',
  'request-extension': 'dpExtensionRequested', 'approve-extension': 'dpExtensionApproved', 'reject-extension': 'dpExtensionRejected',
};

/**
 * 法定时限: the statutory clock of the step the document is in — paused since when and why, the
 * extension awaiting approval, the working days extensions and pauses added. The assignee of the
 * step pauses (补正 or 中止, with a reason) and resumes it, restarts it after a 补正, and asks for an
 * extension; the leader in charge of the step's department approves or refuses the extension.
 */
export function ClockPanel({ doc, me, names, changed }: PanelProps) {
  const clock = doc.clock ?? {};
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('5');
  const [decision, setDecision] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const submit = useSubmit();
  const task = (doc.openTasks ?? []).find((x) => x.stepKey === doc.state);
  const assignee = !!myTaskId(doc) && !!doc.dueAt;
  const approver = !!clock.extension && me.roles.some((r) => r.role === 'leader' && r.departmentId === (task?.departmentId ?? doc.departmentId));
  const hasState = !!(clock.pausedAt || clock.extension || clock.extendedWorkingDays || clock.paused);
  if (doc.final || (!doc.dueAt && !hasState)) return null;
  const run = (operation: Operation, body: Record<string, unknown>, field?: { id: string; value: string }) => {
    setMissing(null);
    if (field && !field.value.trim()) {
      setMissing(field.id);
      return;
    }
    void submit.run(async () => {
      await post(`/api/documents/${doc.id}/clock`, { operation, ...body });
      setReason('');
      setDecision('');
      changed();
      return t(DONE[operation]);
    });
  };
  const reasonProps = (id: string, value: string, set: (v: string) => void) => ({
    id,
    rows: 2,
    required: true,
    'aria-required': 'true' as const,
    'aria-invalid': missing === id || submit.invalid('reason') || undefined,
    'aria-describedby': missing === id ? `${id}-error` : undefined,
    value,
    onInput: (e: Event) => set((e.currentTarget as HTMLTextAreaElement).value),
  });
  const missingNote = (id: string) => missing === id && <p id={`${id}-error`} class="error" role="alert">{t('dpReasonRequired')}</p>;
  const paused = clock.paused && (clock.paused.workingDays || clock.paused.ms) ? clock.paused : null;
  return (
    <section aria-labelledby="clock-title" class="card" data-testid="clock-panel">
      <h2 id="clock-title">{t('dpClockTitle')}</h2>
      <dl class="dp-facts">
        <div>
          <dt>{t('dpClockState')}</dt>
          <dd data-testid="clock-state" data-paused={clock.pausedAt ? 'true' : 'false'}>{clock.pausedAt ? t('dpClockPaused') : t('dpClockRunning')}</dd>
        </div>
        {clock.pausedAt && (
          <>
            <div><dt>{t('dpPausedSince')}</dt><dd><time dateTime={clock.pausedAt}>{formatTime(clock.pausedAt)}</time></dd></div>
            <div><dt>{t('dpPauseReason')}</dt><dd data-testid="clock-paused-reason">{clock.pausedReason}</dd></div>
          </>
        )}
        {!!clock.extendedWorkingDays && <div><dt>{t('dpExtended')}</dt><dd data-testid="clock-extended">{fill('dpWorkingDaysN', { n: clock.extendedWorkingDays })}</dd></div>}
        {paused && <div><dt>{t('dpPausedTotal')}</dt><dd>{paused.workingDays ? fill('dpWorkingDaysN', { n: paused.workingDays }) : fill('dpHoursN', { n: Math.round((paused.ms / 3_600_000) * 10) / 10 })}</dd></div>}
      </dl>
      {clock.extension && (
        <div class="action-block" data-testid="clock-extension">
          <h3>{t('dpPendingExtension')}</h3>
          <p>
            {fill('dpExtensionAsked', { name: personName(names, clock.extension.requestedBy), n: clock.extension.workingDays })}{' '}
            <time class="muted" dateTime={clock.extension.requestedAt}>{formatTime(clock.extension.requestedAt)}</time>
          </p>
          <blockquote class="dp-quote" translate={false}>{clock.extension.reason}</blockquote>
        </div>
      )}
      {assignee && (
        <form class="action-block" noValidate aria-labelledby="clock-ops-title" onSubmit={(e) => e.preventDefault()}>
          <h3 id="clock-ops-title">{t('dpClockOps')}</h3>
          {clock.pausedAt ? (
            <div class="buttons"><button type="button" disabled={submit.busy} onClick={() => run('resume', {})}>{t('dpResume')}</button></div>
          ) : (
            <>
              <label for="clock-reason">{t('dpClockReason')}</label>
              <textarea {...reasonProps('clock-reason', reason, setReason)} />
              {missingNote('clock-reason')}
              <div class="buttons">
                <button type="button" disabled={submit.busy} onClick={() => run('pause', { reason: reason.trim() }, { id: 'clock-reason', value: reason })}>{t('dpPause')}</button>
                <button type="button" disabled={submit.busy} onClick={() => run('restart', { reason: reason.trim() }, { id: 'clock-reason', value: reason })}>{t('dpRestart')}</button>
              </div>
              {!clock.extension && (
                <>
                  <label for="clock-days">{t('dpExtensionDays')}</label>
                  <input id="clock-days" type="number" min={1} max={60} step={1} value={days} aria-invalid={submit.invalid('workingDays')} onInput={(e) => setDays(e.currentTarget.value)} />
                  <div class="buttons">
                    <button type="button" disabled={submit.busy} onClick={() => run('request-extension', { reason: reason.trim(), workingDays: Number(days) }, { id: 'clock-reason', value: reason })}>{t('dpRequestExtension')}</button>
                  </div>
                </>
              )}
            </>
          )}
        </form>
      )}
      {approver && (
        <form class="action-block" noValidate aria-labelledby="clock-decide-title" onSubmit={(e) => e.preventDefault()}>
          <h3 id="clock-decide-title">{t('dpDecideExtension')}</h3>
          <label for="clock-decision">{t('dpDecisionReason')}</label>
          <textarea {...reasonProps('clock-decision', decision, setDecision)} />
          {missingNote('clock-decision')}
          <div class="buttons">
            <button type="button" class="primary" disabled={submit.busy} onClick={() => run('approve-extension', { reason: decision.trim() }, { id: 'clock-decision', value: decision })}>{t('dpApproveExtension')}</button>
            <button type="button" class="danger" disabled={submit.busy} onClick={() => run('reject-extension', { reason: decision.trim() }, { id: 'clock-decision', value: decision })}>{t('dpRejectExtension')}</button>
          </div>
        </form>
      )}
      {submit.shown}
    </section>
  );
}
