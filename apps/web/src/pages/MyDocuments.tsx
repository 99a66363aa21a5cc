import { useEffect, useState } from 'preact/hooks';
import { errorText, post, get, serverToday, type Doc, type Me, type Page } from '../api';
import { departmentName, formatTime, lang, pick, t } from '../i18n';
import { annualReportTemplate, defaultReportYear } from '../report-template';
import { linkProps, navigate } from '../router';
import { Alert, Due, Loading, ScrollBox, useLoad } from '../util';

export function MyDocuments({ me }: { me: Me }) {
  const list = useLoad(() => get<Page<Doc>>('/api/documents?limit=200'), []);
  const draftDepartments = [...new Set(me.roles.filter((r) => r.role === 'drafter').map((r) => r.departmentId!).filter(Boolean))];
  // Signed in, the app has heard from the server already: its clock decides the year.
  const [year, setYear] = useState(() => defaultReportYear(serverToday()));
  const [department, setDepartment] = useState(draftDepartments[0] ?? '');
  const [title, setTitle] = useState('');
  const [content, setContent] = useState(() => annualReportTemplate(year));
  const [error, setError] = useState('');
  // Until the drafter picks a year, it follows the reports the department already has.
  const [yearChosen, setYearChosen] = useState(false);
  useEffect(() => {
    if (yearChosen || !list.data) return;
    const taken = list.data.items.filter((d) => d.chain?.key === 'annual-report' && d.departmentId === department).map((d) => d.year);
    const y = defaultReportYear(serverToday(), taken);
    setYear(y);
    setContent(annualReportTemplate(y));
  }, [list.data, department, yearChosen]);
  const defaultTitle = `${departmentName(department)}${year}年度法治政府建设情况报告`;
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const doc = await post<Doc>('/api/documents', { chain: 'annual-report', title: title || defaultTitle, year, departmentId: department, content });
      navigate(`/documents/${doc.id}`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const docs = list.data?.items ?? [];
  return (
    <section aria-labelledby="docs-title">
      <h1 id="docs-title">{t('myDocsTitle')}</h1>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && docs.length === 0 && <p class="muted">{t('noDocuments')}</p>}
      {docs.length > 0 && (
        <ScrollBox label={t('myDocsTitle')}>
          <table data-testid="my-documents">
            <thead>
              <tr><th scope="col">{t('title')}</th><th scope="col">{t('year')}</th><th scope="col">{t('whereNow')}</th><th scope="col">{t('whatDue')}</th><th scope="col">{t('milestones')}</th><th scope="col">{t('updated')}</th></tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id} data-document-id={d.id}>
                  <td translate={false}><a {...linkProps(`/documents/${d.id}`)}>{d.title}</a></td>
                  <td>{d.year}</td>
                  <td data-state={d.state}>{pick(d.stateName)}</td>
                  <td><Due at={d.dueAt} provisional={d.dueProvisional} /></td>
                  <td>{(d.milestones ?? []).filter((m) => !m.reached).slice(0, 1).map((m) => <span key={m.key}>{pick(m.name)}: <Due at={m.dueAt} /></span>)}</td>
                  <td>{formatTime(d.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {draftDepartments.length > 0 && (
        <form class="card" onSubmit={create} aria-labelledby="new-title">
          <h2 id="new-title">{t('newReport')}</h2>
          <p class="muted">{t('newReportHint')}</p>
          <div class="row">
            <div>
              <label for="new-year">{t('year')}</label>
              <input id="new-year" type="number" min={2000} max={2100} required value={year}
                onInput={(e) => { const y = Number(e.currentTarget.value); setYearChosen(true); setYear(y); if (y > 1999) setContent(annualReportTemplate(y)); }} />
            </div>
            <div>
              <label for="new-department">{t('department')}</label>
              <select id="new-department" value={department} onChange={(e) => setDepartment(e.currentTarget.value)}>
                {draftDepartments.map((d) => <option key={d} value={d}>{departmentName(d)}</option>)}
              </select>
            </div>
          </div>
          <label for="new-title-input">{t('title')}</label>
          <input id="new-title-input" translate={false} value={title} placeholder={defaultTitle} onInput={(e) => setTitle(e.currentTarget.value)} />
          <label for="new-content">{t('content')}</label>
          <textarea id="new-content" rows={14} value={content} onInput={(e) => setContent(e.currentTarget.value)} lang="zh-CN" />
          {error && <Alert kind="error">{error}</Alert>}
          <div class="buttons"><button type="submit" class="primary">{t('create_')}</button></div>
          {lang === 'en' && <p class="muted">The template's headings stay in Chinese: the content check reads them.</p>}
        </form>
      )}
    </section>
  );
}
