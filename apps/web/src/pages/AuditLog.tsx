/** The verifiable audit log's parts of the 督察与审计 page: names of actions and results, the signed tree heads, the verification in words. */
import { useState } from 'preact/hooks';
import { errorText, get, post, query } from '../api';
import { fillIn, formatTime, lang, t, tx, type Key } from '../i18n';
import { Alert, Loading, ScrollBox, useLoad } from '../util';

/** An audit action by its name in the page's language: the log's own actions, then the chains' (approve, return…); an unknown chain action as written. */
export function actionName(code: string): string {
  const own = tx(`act:${code}`);
  return own !== `act:${code}` ? own : tx(code);
}

/** The actions the log writes (API.md, the engine's entries), for the search's picker; a chain's own actions appear once seen. */
export const KNOWN_ACTIONS = [
  'create', 'edit', 'attach', 'submit', 'approve', 'return', 'reject', 'withdraw', 'revise', 'lawful', 'unlawful', 'delegate', 'add-signer', 'reassign',
  'urge', 'copy-to', 'record-disclosure', 'remind', 'deadline-passed', 'escalate', 'migrate', 'migrate-forced',
  'publish-chain', 'start-migration', 'create-department', 'update-department', 'create-user', 'update-user', 'disable-user', 'enable-user',
  'grant-role', 'revoke-role', 'set-supervision', 'set-proxy', 'cancel-proxy', 'change-password', 'reset-password', 'upload-calendar-year', 'recompute-deadlines',
  'calendar-data', 'login', 'logout', 'access-denied', 'mass-assignment', 'state-diverged',
];

const RESULTS: Record<string, Key> = { success: 'resSuccess', denied: 'resDenied', failure: 'resFailure' };
export const resultName = (result: string) => (RESULTS[result] ? t(RESULTS[result]!) : result);

/** What a refused access tried to do (`details.attempted` of an access-denied entry), by name. */
export function attemptedName(details: unknown): string | null {
  const attempted = details && typeof details === 'object' ? (details as { attempted?: unknown }).attempted : undefined;
  return typeof attempted === 'string' ? actionName(attempted) : null;
}

export interface TreeHead { treeSize: number; rootHash: string; timestamp: string; keyId: string; suite: string; signature: string; cosignatures?: { witnessKeyId: string; at: string }[] }
const SUITES: Record<string, Key> = { 'sha256-ed25519': 'suiteStandard', 'sm3-sm2': 'suiteSm' };
const suiteName = (suite: string) => (SUITES[suite] ? `${t(SUITES[suite]!)} (${suite})` : suite);

const PAGE = 100;

/** The latest signed tree head, the stored ones with their witnesses' cosignatures, and (administrators) signing one now. */
export function TreeHeads({ admin, onSigned }: { admin: boolean; onSigned?: () => void }) {
  const [tick, setTick] = useState(0);
  const latest = useLoad(() => get<TreeHead>('/api/audit/tree-head').catch((err) => (err?.status === 404 ? null : Promise.reject(err))), [tick]);
  const [pages, setPages] = useState<TreeHead[]>([]);
  // A full page of 100 may have more after it.
  const [full, setFull] = useState(false);
  const list = useLoad(async () => {
    const first = await get<{ items: TreeHead[] }>(`/api/audit/tree-heads${query({ limit: PAGE })}`);
    setPages([]);
    setFull(first.items.length === PAGE);
    return first.items;
  }, [tick]);
  const [signing, setSigning] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const heads = [...(list.data ?? []), ...pages];
  const [loadingMore, setLoadingMore] = useState(false);
  const more = async () => {
    const last = heads[heads.length - 1];
    if (!last || loadingMore) return;
    setLoadingMore(true);
    setMessage(null);
    try {
      const next = await get<{ items: TreeHead[] }>(`/api/audit/tree-heads${query({ from: last.treeSize + 1, limit: PAGE })}`);
      setPages([...pages, ...next.items]);
      setFull(next.items.length === PAGE);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setLoadingMore(false);
    }
  };
  const sign = async () => {
    setMessage(null);
    setSigning(true);
    try {
      const head = await post<TreeHead>('/api/audit/tree-heads');
      setMessage({ kind: 'ok', text: `${t('thSigned')}${lang === 'zh' ? '：' : ': '}${head.treeSize} ${t('entries')}` });
      setTick((n) => n + 1);
      onSigned?.();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setSigning(false);
    }
  };
  const h = latest.data;
  const cosigned = heads.some((x) => Array.isArray(x.cosignatures));
  return (
    <section aria-labelledby="tree-heads-title" class="card">
      <h2 id="tree-heads-title">{t('thTitle')}</h2>
      <p class="muted">{t('thHint')}</p>
      <h3>{t('thLatest')}</h3>
      <Loading error={latest.error} loading={latest.loading && latest.data === undefined} />
      {h === null && <p class="muted">{t('thNone')}</p>}
      {h && (
        <dl class="tree-head" data-testid="tree-head" data-size={h.treeSize} data-root={h.rootHash}>
          <dt>{t('thSize')}</dt><dd data-testid="tree-head-size">{h.treeSize}</dd>
          <dt>{t('thRoot')}</dt><dd><code class="hash" data-testid="tree-head-root">{h.rootHash}</code></dd>
          <dt>{t('thTime')}</dt><dd>{formatTime(h.timestamp)}</dd>
          <dt>{t('thKeyId')}</dt><dd><code>{h.keyId}</code></dd>
          <dt>{t('thSuite')}</dt><dd>{suiteName(h.suite)}</dd>
        </dl>
      )}
      {admin && (
        <div class="buttons">
          <button type="button" class="primary" disabled={signing} onClick={sign}>{t('thSignNow')}</button>
        </div>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <h3>{t('thList')}</h3>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && heads.length === 0 && <p class="muted">{t('thNone')}</p>}
      {heads.length > 0 && (
        <>
          {!cosigned && <p class="muted">{t('thCosignatures')}: {t('thCosignUnknown')}</p>}
          <ScrollBox label={t('thList')}>
            <table data-testid="tree-heads">
              <thead>
                <tr>
                  <th scope="col">{t('thSize')}</th><th scope="col">{t('thTime')}</th><th scope="col">{t('thRoot')}</th><th scope="col">{t('thKeyId')}</th>
                  {cosigned && <th scope="col">{t('thCosignatures')}</th>}
                </tr>
              </thead>
              <tbody>
                {heads.map((x) => (
                  <tr key={x.treeSize} data-size={x.treeSize}>
                    <th scope="row">{x.treeSize}</th>
                    <td>{formatTime(x.timestamp)}</td>
                    <td><code title={x.rootHash}>{x.rootHash.slice(0, 16)}…</code></td>
                    <td><code>{x.keyId}</code></td>
                    {cosigned && (
                      <td>{x.cosignatures?.length
                        ? <ul class="plain">{x.cosignatures.map((c) => <li key={c.witnessKeyId}>{t('thWitness')} <code>{c.witnessKeyId}</code> · {formatTime(c.at)}</li>)}</ul>
                        : <span class="muted">{t('thNoCosign')}</span>}</td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {full && <button type="button" onClick={more}>{t('loadMore')}</button>}
        </>
      )}
    </section>
  );
}

export type Verify =
  | { ok: true; entries: number; headHash: string; checkpoints?: number; treeHeads?: number }
  | { ok: false; firstBadSeq: number; reason: string; entries?: number; documents?: { documentId: string; field: string }[] };

/** The API's reason for a broken log (audit-log.ts), said in the page's language; a reason it does not know, as the API wrote it. */
export function brokenBecause(reason: string): string {
  const at = (iso: string) => formatTime(iso);
  let m: RegExpMatchArray | null;
  if ((m = reason.match(/^the log ends at entry (\d+), but a checkpoint signed at (\S+) covers entry (\d+)/))) return fillIn(t('vCut'), { last: m[1]!, at: at(m[2]!), size: m[3]! });
  if ((m = reason.match(/^the log ends at entry (\d+), but a tree head signed at (\S+) covers (\d+) entries/))) return fillIn(t('vCut'), { last: m[1]!, at: at(m[2]!), size: m[3]! });
  if (/^the audit table's /.test(reason)) return t('vDrift');
  if ((m = reason.match(/^the chain head names entry (\d+), but the last entry is (\d+)/))) return fillIn(t('vHeadName'), { head: m[1]!, last: m[2]! });
  if ((m = reason.match(/^entry (\d+) is missing/))) return fillIn(t('vMissing'), { seq: m[1]! });
  if (/^the entry's text gives it another seq/.test(reason)) return t('vSeq');
  if (/^prevHash does not match/.test(reason)) return t('vPrev');
  if (/^hash does not match the entry/.test(reason)) return t('vHash');
  if ((m = reason.match(/^differs from the checkpoint signed at (\S+)/))) return fillIn(t('vCheckpoint'), { at: at(m[1]!) });
  if ((m = reason.match(/^the tree head of (\d+) entries signed at (\S+) is not signed by a trusted key/))) return fillIn(t('vUntrusted'), { size: m[1]!, at: at(m[2]!) });
  if ((m = reason.match(/^the log's first (\d+) entries differ from the tree head signed at (\S+)/))) return fillIn(t('vRoot'), { size: m[1]!, at: at(m[2]!) });
  if (/^the chain head does not match the last entry/.test(reason)) return t('vChainHead');
  if ((m = reason.match(/^(\d+) documents? disagrees? with the log/))) return fillIn(t('vDiverged'), { n: m[1]! });
  return reason;
}

/** The verification's answer in words: intact with what was checked, or the case it names and where. */
export function VerifyResult({ verify }: { verify: Verify }) {
  if (verify.ok) {
    return (
      <Alert kind="ok">
        <span data-testid="verify-result" data-ok="true">
          ✓ {t('verifyOk')}{lang === 'zh' ? '。' : '. '}{fillIn(t('verifyIntact'), { entries: verify.entries, heads: verify.treeHeads ?? 0, checkpoints: verify.checkpoints ?? 0 })}
        </span>
      </Alert>
    );
  }
  return (
    <Alert kind="error">
      <span data-testid="verify-result" data-ok="false" data-seq={verify.firstBadSeq}>
        ✗ {t('verifyBad')}{lang === 'zh' ? '：' : ': '}{brokenBecause(verify.reason)}{lang === 'zh' ? '（' : ' ('}{fillIn(t('vAt'), { seq: verify.firstBadSeq })}{lang === 'zh' ? '）' : ')'}
      </span>
    </Alert>
  );
}
