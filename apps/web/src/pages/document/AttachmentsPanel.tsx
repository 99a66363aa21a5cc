import { useState } from 'preact/hooks';
import { ApiError, errorText, get, token } from '../../api';
import { formatTime, pick, t } from '../../i18n';
import { Alert, Loading, useLoad, useSubmit } from '../../util';
import { fill, myTaskId, personName, type PanelProps } from './shared';

interface Attachment { id: string; documentId: string; taskId: string | null; name: string; contentType: string; size: number; sha256: string; uploadedBy: string; createdAt: string; url: string }

/** The file as the raw body, its media type as the content-type, its name in the query (attachments.controller.ts). */
async function upload(path: string, file: File, expectedVersion?: number): Promise<Attachment> {
  const headers: Record<string, string> = { 'content-type': file.type || 'application/octet-stream' };
  const bearer = token.get();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const q = new URLSearchParams({ name: file.name, ...(expectedVersion ? { expectedVersion: String(expectedVersion) } : {}) });
  const res = await fetch(`${path}?${q}`, { method: 'POST', headers, body: file });
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    // The body gate refuses a media type files are not accepted as (415 naming `content-type`).
    if (Array.isArray(err.details) && err.details.some((d: { field?: string }) => d.field === 'content-type')) throw new Error(t('dpTypeRefused'));
    throw new ApiError(res.status, err.code ?? 'ERROR', err.message ?? res.statusText, err.details ?? null);
  }
  return res.json();
}

/** A download needs the bearer token, so the page fetches the bytes and saves them under the file's name. */
async function download(a: Attachment) {
  const bearer = token.get();
  const res = await fetch(a.url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    throw new ApiError(res.status, err.code ?? 'ERROR', err.message ?? res.statusText, err.details ?? null);
  }
  const href = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = a.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

const KB = 1024;
export const fileSize = (n: number) => (n < KB ? `${n} B` : n < KB * KB ? `${(n / KB).toFixed(1)} KB` : `${(n / KB / KB).toFixed(1)} MB`);

/** One upload form: a file and its button; the refusal (type, size, who may attach) in words. */
function UploadForm({ id, title, send }: { id: string; title: string; send: (file: File) => Promise<string> }) {
  const [file, setFile] = useState<File | null>(null);
  const [input, setInput] = useState(0);
  const submit = useSubmit();
  return (
    <form class="action-block" aria-labelledby={`${id}-title`} noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(async () => {
          if (!file) throw new Error(t('dpChooseFile'));
          const done = await send(file);
          setFile(null);
          setInput((n) => n + 1);
          return done;
        });
      }}>
      <h3 id={`${id}-title`}>{title}</h3>
      <label for={`${id}-file`}>{t('dpFile')}</label>
      <input key={input} id={`${id}-file`} type="file" required aria-invalid={submit.invalid('name') || submit.invalid('body')} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <p class="muted">{t('dpFileTypes')}</p>
      <div class="buttons"><button type="submit" disabled={submit.busy}>{t('dpUpload')}</button></div>
      {submit.shown}
    </form>
  );
}

/**
 * 附件: the files on the document (its drafter adds them while it is being drafted) and on the
 * decisions (a reviewer adds them to their open task), each with its size, SHA-256 and uploader, and
 * a download.
 */
export function AttachmentsPanel({ doc, names, changed }: PanelProps) {
  const list = useLoad(() => get<{ items: Attachment[] }>(`/api/documents/${doc.id}/attachments`), [doc.id, doc.version]);
  const [failed, setFailed] = useState('');
  const allowed = doc.allowedActions ?? [];
  const toDocument = allowed.some((a) => a.action === 'edit');
  const taskId = myTaskId(doc);
  const steps = new Map((doc.openTasks ?? []).map((x) => [x.id, pick(x.step?.name)]));
  const items = list.data?.items ?? [];
  const uploaded = (a: Attachment) => {
    list.reload();
    changed();
    return fill('dpUploaded', { name: a.name });
  };
  return (
    <section aria-labelledby="attachments-title" class="card" data-testid="attachments-panel">
      <h2 id="attachments-title">{t('dpAttachmentsTitle')}</h2>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && (items.length ? (
        <div class="table-wrap">
          <table data-testid="attachments">
            <thead>
              <tr><th scope="col">{t('dpFileName')}</th><th scope="col">{t('dpAttachedTo')}</th><th scope="col">{t('dpSize')}</th><th scope="col">SHA-256</th><th scope="col">{t('dpUploader')}</th><th scope="col">{t('dpUploadedAt')}</th></tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-attachment={a.id}>
                  <td>
                    <a href={a.url} download={a.name} title={fill('dpDownload', { name: a.name })}
                      onClick={(e) => {
                        e.preventDefault();
                        setFailed('');
                        download(a).catch((err) => setFailed(`${fill('dpDownloadFailed', { name: a.name })}${t('dpColon')}${errorText(err)}`));
                      }}>{a.name}</a>
                  </td>
                  <td>{a.taskId ? (steps.get(a.taskId) ? fill('dpOnDecisionOf', { step: steps.get(a.taskId)! }) : t('dpOnDecision')) : t('dpOnDocument')}</td>
                  <td>{fileSize(a.size)}</td>
                  <td><code class="dp-hash" data-testid="sha256">{a.sha256}</code></td>
                  <td>{personName(names, a.uploadedBy)}</td>
                  <td><time dateTime={a.createdAt}>{formatTime(a.createdAt)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">{t('dpNoAttachments')}</p>)}
      {failed && <Alert kind="error">{failed}</Alert>}
      {toDocument && <UploadForm id="attach-document" title={t('dpUploadToDocument')} send={async (file) => uploaded(await upload(`/api/documents/${doc.id}/attachments`, file, doc.version))} />}
      {taskId && <UploadForm id="attach-task" title={t('dpUploadToDecision')} send={async (file) => uploaded(await upload(`/api/tasks/${taskId}/attachments`, file))} />}
    </section>
  );
}
