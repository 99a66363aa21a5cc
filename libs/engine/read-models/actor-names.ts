import type { Repositories } from '@shenpi/persistence';

/** Who acted, by name: the display name of each person and the name of each department a history mentions. */
export interface ActorNames {
  people: Record<string, string>;
  departments: Record<string, string>;
}

interface Mentions {
  actor: { type: string; id: string; departmentId: string | null; onBehalfOf: string | null };
  departmentId?: string | null;
}

/**
 * The names behind the ids of some entries, for whoever may read them: a reader of a document sees
 * who acted in every department it passed through (the entries themselves keep ids: they are signed).
 */
export async function actorNames(repos: Repositories, entries: Mentions[]): Promise<ActorNames> {
  const people = new Set<string>();
  const departments = new Set<string>();
  for (const { actor, departmentId } of entries) {
    if (actor.type === 'user') people.add(actor.id);
    if (actor.onBehalfOf) people.add(actor.onBehalfOf);
    if (actor.departmentId) departments.add(actor.departmentId);
    if (departmentId) departments.add(departmentId);
  }
  return repos.directory.names([...people], [...departments]);
}
