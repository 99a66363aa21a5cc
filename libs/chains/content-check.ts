/** One part a document must contain, recognised by keywords in a heading. */
export interface SectionRequirement {
  key: string;
  name: { zh: string; en: string };
  keywords: string[];
}

/** Headings at any level: 一、… 十、 (level 1) and （一）… （十） (level 2), half- or full-width parentheses. */
const HEADING = /^\s*(?:([一二三四五六七八九十]+、)|[（(][一二三四五六七八九十]+[）)])/;

/**
 * A line the template leaves for the author to replace: a whole line in parentheses that asks
 * for something, such as the web UI's "（请写明存在的不足和原因。）". Such a line is not content.
 */
const PLACEHOLDER = /^[（(]\s*请.*[）)]$/;

interface Heading {
  level: 1 | 2;
  /** The heading read up to its first 。 (a sub-section heading may run on into body text on its line). */
  title: string;
  /** The section's own text: the rest of its line, then every line up to the next heading of its level or above. */
  body: string[];
}

function headingsOf(content: string): Heading[] {
  const headings: Heading[] = [];
  // The sections the current line belongs to: a level-1 section and, within it, a sub-section.
  let open: Heading[] = [];
  for (const line of content.split(/\r?\n/)) {
    const m = HEADING.exec(line);
    if (!m) {
      for (const h of open) h.body.push(line);
      continue;
    }
    const level = m[1] ? 1 : 2;
    const [title, ...rest] = line.split('。');
    open = open.filter((h) => h.level < level);
    // A sub-section, its heading included, is content of the section above it.
    for (const h of open) h.body.push(line);
    const heading: Heading = { level, title, body: [rest.join('。')] };
    open.push(heading);
    headings.push(heading);
  }
  return headings;
}

/** Any text but blanks and the template's placeholders. */
const hasContent = (lines: string[]) => lines.some((l) => l.trim() !== '' && !PLACEHOLDER.test(l.trim()));

/**
 * The sections no heading names with content of its own. A section is present when a heading
 * (domain README §1) contains one of its keywords and something other than the template's
 * placeholder follows it: body text, on its line after the first 。 or below, or sub-sections.
 * A heading left as the template has it, or followed by nothing, leaves its section missing.
 */
export function missingSections(content: string, sections: readonly SectionRequirement[]): SectionRequirement[] {
  const written = headingsOf(content).filter((h) => hasContent(h.body));
  return sections.filter((s) => !written.some((h) => s.keywords.some((k) => h.title.includes(k))));
}
