import { toMermaid , type DiagramLanguage } from '@shenpi/chains';
import { notFound } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import type { ChainCatalog } from '../chain-catalog.js';
import { MAX_INT } from '../views.js';

/** Chains and their versions, with diagrams. On the read connection. */
export class ChainReadModel {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly chains: ChainCatalog,
  ) {
    this.repos = new Repositories(database.reader);
  }

  async chainList() {
    const rows = await this.repos.chains.latestOfEach();
    return { items: rows.map((r) => ({ key: r.chainKey, name: r.name, latestVersion: r.version })) };
  }

  async chainVersion(key: string, version: number) {
    const row = Number.isSafeInteger(version) && version > 0 && version <= MAX_INT ? await this.repos.chains.get(key, version) : undefined;
    if (!row) throw notFound(`chain ${key} version ${version}`);
    return { key: row.chainKey, version: row.version, name: row.name, definition: row.definition, createdAt: row.createdAt };
  }

  /** A chain version as a Mermaid statechart (no document position). */
  async chainDiagram(key: string, version: number, lang: DiagramLanguage = 'zh') {
    if (!(await this.repos.chains.get(key, version))) throw notFound('chain version');
    const chain = await this.chains.get(this.repos, key, version);
    return { format: 'mermaid' as const, source: toMermaid(chain.definition, undefined, lang) };
  }
}
