import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CheckpointSigner, checkpointSignerFromEnv, rotateSigningKey, treeHeadStatement, trustedKeysFromEnv, verifyBundle, witnessCheck, writeFileAtomically, type ProofBundle, type TreeHead, type WitnessState } from '@shenpi/audit';
import { DomainError, ErrorCode, isRole, validationFailed } from '@shenpi/domain';
import { Engine, engineSettingsFromEnv, OPERATOR, type HandOver } from '@shenpi/engine';
import { createLogger } from '@shenpi/observability';
import { chainVariants, shippedChains } from '@shenpi/workflows';

const VARIANTS = Object.keys(chainVariants).join(', ');

const USAGE = `shenpi <command>   (npm run cli -- <command>; help: this text)
  seed-demo [--password P]          the demo organisation (idempotent)
  user add --username U --password P --department D --role R [--role R2 ...] [--display-name N]
                                    creates the user, or grants the roles (and, with --password, sets a new
                                    password); a password needs 12 characters, not the username, not a common one
  user disable --username U [--comment C]
                                    the user can no longer log in and their sessions end; the open tasks
                                    they hold by name are handed on (printed: to whom, and what nobody may
                                    take, with each refusal: global administrators are notified of those);
                                    refused for a department's last leader. user enable --username U undoes it
  role grant --username U --role R [--department D]
  role revoke --username U --role R [--department D]
                                    grants or takes away a role (no --department: admin, held globally);
                                    the user's sessions end; the open tasks of a role taken away (or of a
                                    new supervisor) are handed on as for user disable; nothing changes when already so
                                    (user revoke is the same as role revoke)
  department add --id ID --name N [--office OFFICE] [--issuer-code C]
                                    a new department, reporting to the rule-of-law office OFFICE; C is the
                                    issuer code in its document numbers (e.g. 沙科局发)
  audit verify [--checkpoint F]     exit 0 when the audit chain holds (and the checkpoint file F, when given,
                                    is signed by us and its entry unchanged), 1 otherwise
  audit checkpoint                  sign the chain head now; prints the checkpoint (JSON) to keep elsewhere
  audit rotate-key                  a new signing key; the old one stays trusted for what it signed until now
                                    (listed in AUDIT_TRUSTED_KEYS, default audit-trusted-keys.json beside the key)
  audit verify-bundle FILE --key PUB.pem
                                    check a document's proof bundle (GET /api/documents/:id/proof-bundle)
                                    offline against the service's public key: no database needed
  audit witness --url URL --state FILE [--key PUB.pem] [--token T] [--witness-key KEY.pem] [--webhook URL]
                                    an independent witness (cron): checks the new tree head is signed by the
                                    pinned key and extends the one held in FILE; cosigns it with KEY.pem; exit 1
                                    naming a truncation, rewrite, fork or rollback (and posts it to the webhook);
                                    the token (or SHENPI_TOKEN) is a supervisor's
  chain publish <variant> [--as KEY]
  chain publish --file F.json [--as KEY]
                                    lint a definition, then publish it as the next version of its key: a shipped
                                    variant's own key (variants: ${VARIANTS}), the file's "key", or KEY;
                                    prints the chain version new documents of that kind get. A variant becomes
                                    the chain it varies only when asked: --as annual-report
Database: DATABASE_URL (PostgreSQL) or SQLITE_PATH (default data/shenpi.sqlite).`;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** The CLI as a function of its arguments and environment, so tests run it in-process. Returns the exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Output = console): Promise<number> {
  const [command, sub] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    out.log(USAGE);
    return 0;
  }
  if (command === 'chain') return chainCommand(argv.slice(1), env, out);
  if (command === 'audit' && sub === 'verify-bundle') return verifyBundleCommand(argv.slice(2), out);
  if (command === 'audit' && sub === 'witness') return witnessCommand(argv.slice(2), env, out);
  if (command === 'audit' && sub === 'rotate-key' && argv.length === 2) {
    try {
      const { retired, current, trustedFile } = rotateSigningKey(env, new Date());
      out.log(`rotated: key ${retired} is retired (trusted for what it signed until now, listed in ${trustedFile}); key ${current} signs from now on. Restart the API to sign with it.`);
      return 0;
    } catch (err) {
      out.error(`rotate-key refused: ${err instanceof Error ? err.message : err}`);
      return 1;
    }
  }
  const { values } = parseArgs({
    args: argv.slice(command === 'seed-demo' ? 1 : 2),
    options: {
      password: { type: 'string' },
      username: { type: 'string' },
      department: { type: 'string' },
      role: { type: 'string', multiple: true },
      'display-name': { type: 'string' },
      checkpoint: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      office: { type: 'string' },
      'issuer-code': { type: 'string' },
      comment: { type: 'string' },
    },
    strict: true,
  });
  const known =
    command === 'seed-demo' ||
    (command === 'user' && ['add', 'revoke', 'disable', 'enable'].includes(sub)) ||
    (command === 'role' && ['grant', 'revoke'].includes(sub)) ||
    (command === 'department' && sub === 'add') ||
    (command === 'audit' && (sub === 'verify' || sub === 'checkpoint'));
  if (!known) {
    out.error(USAGE);
    return 2;
  }
  // The service's key signs checkpoints and is the key their signatures are checked against.
  const engine = await openEngine(env, command === 'audit' ? checkpointSignerFromEnv(env) : undefined);
  try {
    if (command === 'seed-demo') {
      const result = await engine.directory.seedDemo(values.password);
      out.log(`demo organisation ready: departments city-sti, rule-of-law-office; users drafter, counsel, secretary, leader, admin, supervisor, office`);
      if (result.created.length) out.log(`created: ${result.created.join(', ')}`);
      if (result.generated && result.created.length) out.log(`password for the new users (shown once): ${result.password}`);
      return 0;
    }
    if (command === 'user' || command === 'role') return await userCommand(engine, command === 'role' ? `role-${sub}` : sub, values, out);
    if (command === 'department') return await departmentAdd(engine, values, out);
    if (sub === 'checkpoint') {
      const checkpoint = await engine.checkpoint();
      if (!checkpoint) {
        out.error('the audit log is empty: nothing to sign');
        return 1;
      }
      out.log(JSON.stringify(checkpoint));
      return 0;
    }
    let last = 0;
    const progress = (checked: number) => {
      if (checked - last >= 100_000) out.error(`verified ${(last = checked)} entries…`);
    };
    if (values.checkpoint) {
      const kept = JSON.parse(await readFile(values.checkpoint, 'utf8'));
      const check = await engine.auditReadModel.verifyKeptCheckpoint(kept, progress);
      if (!check.signatureValid) out.log('checkpoint signature is not valid');
      else if (!check.entryMatches) out.log('the entry the checkpoint signed has changed or is gone');
      if (!check.ok && check.signatureValid && check.entryMatches && !check.chain.ok) out.log(`audit chain broken at entry ${check.chain.firstBadSeq}: ${check.chain.reason}`);
      if (check.ok && check.chain.ok) out.log(`checkpoint of entry ${kept.seq} holds: ${check.chain.entries} entries verified, only appended to since`);
      return check.ok ? 0 : 1;
    }
    const result = await engine.auditReadModel.verifyAll(progress);
    if (result.ok) {
      out.log(`audit chain intact: ${result.entries} entries, head ${result.headHash}`);
      return 0;
    }
    out.log(`audit chain broken at entry ${result.firstBadSeq}: ${result.reason}`);
    return 1;
  } finally {
    await engine.close();
  }
}

/** The engine on the database the environment names, with the shipped chains published as at the service's start. */
async function openEngine(env: NodeJS.ProcessEnv, checkpointSigner?: CheckpointSigner): Promise<Engine> {
  const { database, auditCrypto } = engineSettingsFromEnv(env);
  // Background failures (the PostgreSQL audit sequencer's) as JSON lines on stderr: stdout is the command's own.
  const log = createLogger({ level: 'warn', destination: process.stderr, name: 'cli' });
  return Engine.open({ database, auditCrypto, shippedChains, checkpointSigner, trustedKeys: trustedKeysFromEnv(env), log });
}

/**
 * user add | disable | enable, role grant | revoke (user revoke is role revoke). The operator acts
 * as a global administrator would, under the API's rules; a refusal (a weak password, an unknown role
 * or user, a duplicate, the last leader) is printed with its reasons (exit 1).
 */
async function userCommand(
  engine: Engine,
  sub: string,
  values: { username?: string; password?: string; department?: string; role?: string[]; 'display-name'?: string; comment?: string },
  out: Output,
): Promise<number> {
  const username = values.username;
  const roles = values.role ?? [];
  const name = sub.startsWith('role-') ? `role ${sub.slice(5)}` : `user ${sub}`;
  const grantOrRevoke = sub === 'revoke' || sub.startsWith('role-');
  if (!username || (sub === 'add' && !roles.length) || (grantOrRevoke && roles.length !== 1)) {
    out.error(sub === 'add' ? 'user add needs --username and at least one --role' : grantOrRevoke ? `${name} needs --username and one --role` : `${name} needs --username`);
    return 2;
  }
  try {
    if (sub === 'add') {
      const result = await engine.directory.addUser({ username, password: values.password, displayName: values['display-name'], departmentId: values.department ?? null, roles });
      out.log(`${result.created ? 'created' : 'updated'} user ${username} (${result.id})`);
      return 0;
    }
    const id = await engine.organisation.userIdOf(username);
    if (grantOrRevoke) {
      if (!isRole(roles[0])) throw validationFailed([{ field: 'role', reason: `unknown role: ${roles[0]}` }]);
      const grant = { role: roles[0], departmentId: values.department ?? null };
      const granting = sub === 'role-grant';
      // Idempotent, as user add is: a script run twice changes nothing the second time (the API answers 409 and 404).
      const held = (await engine.authentication.principal(id))!.grants.some((g) => g.role === grant.role && g.departmentId === grant.departmentId);
      if (held === granting) {
        out.log(`${username} ${granting ? 'already holds' : 'does not hold'} ${grant.role} there: nothing changed`);
      } else if (granting) {
        const result = await engine.organisation.grantRole(OPERATOR, id, grant, values.comment);
        out.log(`granted ${grant.role} to ${username}; their sessions have ended`);
        if (result.tasks) await printHandOver(engine, username, result.tasks, out);
      } else {
        const result = await engine.organisation.revokeRole(OPERATOR, id, grant, values.comment);
        out.log(`revoked ${grant.role} from ${username}; their sessions have ended`);
        await printHandOver(engine, username, result.tasks, out);
      }
    } else if (sub === 'disable') {
      const result = await engine.organisation.disableUser(OPERATOR, id, values.comment);
      out.log(result.changed ? `disabled user ${username}; their sessions have ended` : `user ${username} was already disabled`);
      await printHandOver(engine, username, result.tasks, out);
    } else {
      const result = await engine.organisation.enableUser(OPERATOR, id);
      out.log(result.changed ? `enabled user ${username}` : `user ${username} was already enabled`);
    }
    return 0;
  } catch (err) {
    return refused(err, name, out);
  }
}

/** What the system did with the open tasks the user held by name: to whom each went, and what nobody may take (with each refusal), people by username. */
async function printHandOver(engine: Engine, username: string, tasks: HandOver, out: Output): Promise<void> {
  const names = await engine.organisation.usernamesOf([...tasks.reassigned.map((t) => t.toUserId), ...tasks.unassigned.flatMap((t) => t.refused.map((r) => r.userId))]);
  const task = (t: { taskId: string; documentId: string; stepKey: string }) => `task ${t.taskId} of document ${t.documentId} (${t.stepKey})`;
  if (tasks.reassigned.length) out.log(`handed on ${tasks.reassigned.length} open task(s):`);
  for (const t of tasks.reassigned) out.log(`  ${task(t)} to ${names[t.toUserId]}`);
  if (!tasks.unassigned.length) return;
  out.log(`${tasks.unassigned.length} open task(s) nobody may take, still held by ${username} (global administrators are notified; POST /api/users/:id/reassign-tasks, or disable again once someone can):`);
  for (const t of tasks.unassigned) {
    const refusals = t.refused.map((r) => `${names[r.userId]}: ${r.rule ?? r.code}`).join('; ');
    out.log(`  ${task(t)}: ${t.reason}${refusals ? ` (${refusals})` : ''}`);
  }
}

/** department add --id --name [--office] [--issuer-code] */
async function departmentAdd(engine: Engine, values: { id?: string; name?: string; office?: string; 'issuer-code'?: string }, out: Output): Promise<number> {
  if (!values.id || values.name === undefined) {
    out.error('department add needs --id and --name');
    return 2;
  }
  try {
    const d = await engine.organisation.createDepartment(OPERATOR, { id: values.id, name: values.name, officeId: values.office ?? null, issuerCode: values['issuer-code'] ?? null });
    out.log(`created department ${d.id}${d.officeId ? `, reporting to ${d.officeId}` : ''}`);
    return 0;
  } catch (err) {
    return refused(err, 'department add', out);
  }
}

/** A refusal under the API's rules (400, 404, 409): its message and each field's reason, exit 1. */
function refused(err: unknown, command: string, out: Output): number {
  if (!(err instanceof DomainError) || ![ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT].includes(err.code as never)) throw err;
  out.error(`${command} refused:`);
  const fields = err.code === ErrorCode.VALIDATION_FAILED ? ((err.details as { field: string; reason: string }[] | undefined) ?? []) : [];
  if (fields.length) for (const d of fields) out.error(`  ${d.field}: ${d.reason}`);
  else out.error(`  ${err.message}`);
  return 1;
}

const CHAIN_USAGE = 'usage: chain publish <variant> [--as KEY] | chain publish --file F.json [--as KEY]';

/**
 * `chain publish`: a shipped variant (under its own key) or a definition file (under its "key"), or
 * either under `--as KEY`; linted as POST /api/chains lints. Prints which version new documents of
 * the kind get, so replacing the chain of every new annual report is never a side effect.
 */
async function chainCommand(args: string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { file: { type: 'string' }, as: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    out.error(`${err instanceof Error ? err.message : err}\n${CHAIN_USAGE}`);
    return 2;
  }
  const [sub, name, ...extra] = parsed.positionals;
  // `chain publish file.json` (before --file) still reads the file.
  const file = parsed.values.file ?? (name?.endsWith('.json') ? name : undefined);
  if (sub !== 'publish' || extra.length || (parsed.values.file !== undefined && name !== undefined) || (file === undefined && name === undefined)) {
    out.error(CHAIN_USAGE);
    return 2;
  }
  const source = file === undefined ? variantSource(name!) : await fileSource(file);
  if (typeof source === 'string') {
    out.error(source);
    return 2;
  }
  const target = parsed.values.as;
  const definition = target === undefined ? source.definition : withKey(source.definition, target);
  const engine = await openEngine(env);
  try {
    const result = await engine.chainPublishing.publishFromCli(definition);
    out.log(result.created ? `published ${result.key} version ${result.version}` : `${result.key} version ${result.version} already has this definition`);
    // The kind a variant belongs to is the chain it varies; a file's is its own key.
    const kind = source.of ?? result.key;
    const line = `new ${kind} documents use ${await versionInForce(engine, kind)}`;
    out.log(kind === result.key ? line : `${line}; documents on chain ${result.key} use this one (--as ${kind} makes it the chain of new ${kind} documents)`);
    return 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    out.error(`not published: ${err.message}`);
    for (const d of (err.details as { field: string; reason: string }[] | undefined) ?? []) out.error(`  ${d.field === 'key' && target !== undefined ? 'key (--as)' : d.field}: ${d.reason}`);
    return 1;
  } finally {
    await engine.close();
  }
}

interface ChainSource {
  definition: unknown;
  /** The chain a shipped variant varies. */
  of?: string;
}

function variantSource(name: string): ChainSource | string {
  const variant = chainVariants[name];
  if (!variant) return `no chain variant "${name}" (variants: ${VARIANTS}); or give a definition with --file F.json`;
  return variant;
}

async function fileSource(file: string): Promise<ChainSource | string> {
  try {
    return { definition: JSON.parse(await readFile(file, 'utf8')) };
  } catch (err) {
    return `cannot read ${file}: ${err instanceof Error ? err.message : err}`;
  }
}

/** The definition under another key; anything but an object is left for the lint to refuse. */
function withKey(definition: unknown, key: string): unknown {
  return definition !== null && typeof definition === 'object' && !Array.isArray(definition) ? { ...definition, key } : definition;
}

/** The version a document created now on chain `key` gets: the latest, as creating a document picks it. */
async function versionInForce(engine: Engine, key: string): Promise<string> {
  const chain = (await engine.chainReadModel.chainList()).items.find((c) => c.key === key);
  return chain ? `${key} version ${chain.latestVersion}` : `no chain: none is published as ${key}`;
}

/** `audit verify-bundle FILE --key PUB.pem`: anyone with the bundle and the service's public key, offline. */
async function verifyBundleCommand(args: string[], out: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { key: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    out.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const [file] = parsed.positionals;
  if (!file || !parsed.values.key || parsed.positionals.length > 1) {
    out.error('usage: audit verify-bundle FILE --key PUB.pem');
    return 2;
  }
  let bundle: ProofBundle;
  let key: string;
  try {
    bundle = JSON.parse(await readFile(file, 'utf8')) as ProofBundle;
    key = await readFile(parsed.values.key, 'utf8');
  } catch (err) {
    out.error(`cannot read the bundle or the key: ${err instanceof Error ? err.message : err}`);
    return 2;
  }
  let check;
  try {
    check = verifyBundle(bundle, key);
  } catch (err) {
    check = { ok: false as const, reason: `not a readable bundle or key: ${err instanceof Error ? err.message : err}` };
  }
  if (!check.ok) {
    out.error(`bundle refused: ${check.reason}`);
    return 1;
  }
  out.log(`bundle verified: the ${check.entries} entries included of document ${bundle.documentId} are in the tree of ${check.treeSize} entries signed at ${check.timestamp} by key ${check.keyId}`);
  return 0;
}

/** `audit witness`: the last accepted head in a state file, the new one checked against it, cosigned when it holds. */
async function witnessCommand(args: string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { url: { type: 'string' }, state: { type: 'string' }, key: { type: 'string' }, token: { type: 'string' }, 'witness-key': { type: 'string' }, webhook: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    out.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const token = values.token ?? env.SHENPI_TOKEN;
  if (!values.url || !values.state || !token) {
    out.error('usage: audit witness --url URL --state FILE [--key PUB.pem] [--token T | SHENPI_TOKEN] [--witness-key KEY.pem] [--webhook URL]');
    return 2;
  }
  const base = values.url.replace(/\/+$/, '');
  try {
    const pinned = values.key ? await readFile(values.key, 'utf8') : undefined;
    const state: WitnessState | undefined = existsSync(values.state) ? JSON.parse(await readFile(values.state, 'utf8')) : pinned ? { publicKey: pinned } : undefined;
    if (!state) {
      out.error(`no state in ${values.state}: the first run pins the service's key with --key PUB.pem`);
      return 2;
    }
    if (pinned && pinned.trim() !== state.publicKey.trim()) {
      out.error(`--key differs from the key pinned in ${values.state}`);
      return 2;
    }
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };
    const result = await witnessCheck(state, {
      latestHead: () => get('/api/audit/tree-head') as Promise<TreeHead>,
      consistency: async (first, second) => ((await get(`/api/audit/proofs/consistency?first=${first}&second=${second}`)) as { proof: string[] }).proof,
    });
    if (!result.ok) {
      out.error(`witness: ${result.finding}: ${result.reason}`);
      if (values.webhook) {
        await fetch(values.webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'shenpi-audit-witness', finding: result.finding, reason: result.reason, head: result.head, held: result.previous }) });
      }
      return 1;
    }
    // The state moves on only once the new head holds; written whole, so a crash leaves the old one.
    writeFileAtomically(values.state, JSON.stringify({ publicKey: state.publicKey, head: result.head } satisfies WitnessState, null, 2), 0o600);
    if (values['witness-key']) {
      const witness = CheckpointSigner.fromPem(await readFile(values['witness-key'], 'utf8'));
      const res = await fetch(`${base}/api/audit/tree-heads/${result.head.treeSize}/cosign`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ witness: witness.publicKey, signature: witness.signStatement(treeHeadStatement(result.head)) }),
      });
      if (!res.ok) throw new Error(`cosign: ${res.status} ${await res.text()}`);
    }
    out.log(`witness: the tree of ${result.head.treeSize} entries signed at ${result.head.timestamp} ${result.previous ? `extends the ${result.previous.treeSize} held` : 'is now held'}`);
    return 0;
  } catch (err) {
    out.error(`witness: ${err instanceof Error ? err.message : err}`);
    return 2;
  }
}
