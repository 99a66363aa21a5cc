import { checkFields, COMPILER_VERSION, type DocumentFields } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, holdsRole, newId, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import { isUniqueViolation, type DocumentRow } from '@shenpi/persistence';
import { EDITOR_ROLE } from './document-state.js';
import type { ChainCatalog } from '../chain-catalog.js';
import type { DocumentKernel } from './document-kernel.js';
import type { DeadlinePlanner } from '../deadline-planner.port.js';
import { enterStep } from './step-entry.js';
import type { IdempotencyClaim, IdempotencyUseCase } from '../idempotency.js';
import type { WriterQueue } from '../writer-queue.js';

export interface CreateDocumentCommand {
  principal: Principal;
  chain: string;
  title: string;
  year: number;
  departmentId: string;
  content?: string;
  /** Values for the chain's declared fields (conditional steps read them). */
  fields?: DocumentFields;
  /** The request's Idempotency-Key: a retried create answers with the document it made. */
  idempotency?: IdempotencyClaim;
}

/** A new document on the latest version of its chain, in the chain's initial step; audited as `create`. */
export class CreateDocumentUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
    private readonly planner: DeadlinePlanner,
    private readonly idempotency: IdempotencyUseCase,
  ) {}

  execute(cmd: CreateDocumentCommand): Promise<DocumentRow> {
    return this.writer.run(async (repos) => {
      if (cmd.idempotency) await this.idempotency.check(repos, cmd.principal, cmd.idempotency);
      const latest = await repos.chains.latest(cmd.chain);
      if (!latest) throw validationFailed([{ field: 'chain', reason: `no chain "${cmd.chain}"` }]);
      const department = await repos.directory.department(cmd.departmentId);
      if (!department) throw validationFailed([{ field: 'departmentId', reason: `no department "${cmd.departmentId}"` }]);
      if (!holdsRole(cmd.principal, EDITOR_ROLE, department.id)) {
        throw new AccessDenied(ErrorCode.FORBIDDEN, `only a drafter of ${department.id} creates its documents`, {
          action: 'create',
          departmentId: department.id,
        });
      }
      const chain = await this.chains.get(repos, latest.chainKey, latest.version);
      const problems = checkFields(chain.definition.fields, cmd.fields ?? {}, true);
      if (problems.length) throw validationFailed(problems);
      const position = chain.initial();
      const at = this.clock.now().toISOString();
      const doc: DocumentRow = {
        id: newId(this.clock.now().getTime()),
        chainKey: latest.chainKey,
        chainVersion: latest.version,
        compilerVersion: COMPILER_VERSION,
        departmentId: department.id,
        year: cmd.year,
        title: cmd.title,
        content: cmd.content ?? '',
        // Its author never decides its review steps (nor does anyone who edits it later: see the transition).
        attributes: { ...(cmd.fields && Object.keys(cmd.fields).length ? { fields: cmd.fields } : {}), contributors: [cmd.principal.id] },
        state: position.stateKey,
        context: position.context as unknown as Record<string, unknown>,
        version: 1,
        uniqueKey: chain.definition.uniquePerDepartmentAndYear ? `${latest.chainKey}:${department.id}:${cmd.year}` : null,
        dueAt: null,
        dueProvisional: false,
        createdBy: cmd.principal.id,
        createdAt: at,
        updatedAt: at,
      };
      try {
        await repos.documents.insert(doc);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DomainError(ErrorCode.DUPLICATE_DOCUMENT, `${department.id} already has a ${latest.chainKey} for ${cmd.year}`);
        }
        throw err;
      }
      await repos.contents.append({ documentId: doc.id, version: doc.version, title: doc.title, content: doc.content, fields: cmd.fields ?? {}, createdBy: cmd.principal.id, createdAt: at });
      // The row is inserted before its tasks (they reference it): its dueAt follows.
      const { due } = await enterStep(repos, chain, doc, department, at, this.planner);
      if (due.dueAt !== doc.dueAt) await repos.documents.setDue(doc.id, Object.assign(doc, due));
      await this.kernel.record(repos, doc, {
        action: 'create',
        actor: { type: 'user', id: cmd.principal.id, role: EDITOR_ROLE, departmentId: department.id, onBehalfOf: null },
        from: null,
        details: { version: doc.version, chain: { key: doc.chainKey, version: doc.chainVersion }, title: doc.title, year: doc.year },
      });
      if (cmd.idempotency) await this.idempotency.record(repos, cmd.principal, cmd.idempotency, { documentId: doc.id });
      return doc;
    });
  }
}
