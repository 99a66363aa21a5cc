import type { Role } from '@shenpi/domain';
import type { Repositories } from '@shenpi/persistence';

type Holder = Awaited<ReturnType<Repositories['directory']['holdersForDecision']>>[number];

interface Kept {
  version: number;
  /** The instant the holders were read at (`at`), and until when whom they are away to stands (null: no substitution ahead). */
  from: string | undefined;
  until: string | null;
  holders: readonly Readonly<Holder>[];
}

/**
 * A role's holders in a department, as staffing reads them for every step it enters, kept while
 * the directory's version stands (users, role grants and substitutions draw it anew, by trigger,
 * from any process: migrations 1766400000000, 1766600000000, 1766700000000) and, when read with whom each is away
 * to at an instant, until a substitution starts or ends. The version is the one the change read
 * with its document, in its own transaction (DocumentsRepository.opened): a change never staffs on
 * a directory older than the one its transaction sees.
 */
export class HoldersCache {
  private readonly kept = new Map<string, Kept>();

  async holders(repos: Repositories, version: number, role: Role, departmentId: string, at?: string): Promise<Holder[]> {
    const key = `${role}\u0000${departmentId}\u0000${at === undefined ? 'no-away' : 'away'}`;
    const k = this.kept.get(key);
    if (k && k.version === version && (at === undefined || (k.from !== undefined && k.from <= at && (k.until === null || at < k.until)))) {
      return k.holders.map((h) => ({ ...h }));
    }
    const holders = await repos.directory.holdersForDecision(role, departmentId, at);
    const until = at === undefined ? null : await repos.directory.holdersAwayChangeAfter(role, departmentId, at);
    const read: Kept = { version, from: at, until, holders: holders.map((h) => Object.freeze({ ...h })) };
    // Kept once this transaction committed: what it read may include a change of its own batch that
    // is rolled back, under a version number the directory never commits.
    repos.afterCommit.push(() => {
      // A small map (roles × departments); a department renamed away leaves an entry nobody asks for.
      if (this.kept.size > 10_000) this.kept.clear();
      this.kept.set(key, read);
    });
    return holders;
  }
}
