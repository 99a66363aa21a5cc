/** One part a document must contain, recognised by keywords in a heading. */
export interface SectionRequirement {
  key: string;
  name: { zh: string; en: string };
  keywords: string[];
}

/** Headings at any level: 一、… 十、 and （一）… （十）, half- or full-width parentheses. */
const HEADING = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/;

/**
 * The sections whose keywords appear in no heading. A heading is read up to its first 。, since
 * a sub-section heading may run on into body text on the same line (domain README §1).
 */
export function missingSections(content: string, sections: readonly SectionRequirement[]): SectionRequirement[] {
  const headings = content
    .split(/\r?\n/)
    .filter((line) => HEADING.test(line))
    .map((line) => line.split('。')[0]);
  return sections.filter((s) => !headings.some((h) => s.keywords.some((k) => h.includes(k))));
}
