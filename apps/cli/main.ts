import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DomainError } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { databaseConfigFromEnv, Repositories } from '@shenpi/persistence';
import { shippedChains } from '@shenpi/workflows';

const USAGE = `shenpi <command>
  seed-demo [--password P]          the demo organisation (idempotent)
  user add --username U --password P --department D --role R [--role R2 ...] [--display-name N]
  audit verify                      exit 0 when the audit chain holds, 1 otherwise
Database: DATABASE_URL (PostgreSQL) or SQLITE_PATH (default data/shenpi.sqlite).`;

async function run(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const { values } = parseArgs({
    args: argv.slice(command === 'seed-demo' ? 1 : 2),
    options: {
      password: { type: 'string' },
      username: { type: 'string' },
      department: { type: 'string' },
      role: { type: 'string', multiple: true },
      'display-name': { type: 'string' },
    },
    strict: true,
  });
  const known = command === 'seed-demo' || (command === 'user' && sub === 'add') || (command === 'audit' && sub === 'verify');
  if (!known) {
    console.error(USAGE);
    return 2;
  }
  const engine = await Engine.open({ database: databaseConfigFromEnv(), shippedChains });
  try {
    if (command === 'seed-demo') {
      const result = await engine.directory.seedDemo(values.password);
      console.log(`demo organisation ready: departments city-sti, rule-of-law-office; users drafter, counsel, secretary, leader, admin, supervisor, office`);
      if (result.created.length) console.log(`created: ${result.created.join(', ')}`);
      if (result.generated && result.created.length) console.log(`password for the new users (shown once): ${result.password}`);
      return 0;
    }
    if (command === 'user') {
      if (!values.username || !values.role?.length) {
        console.error('user add needs --username and at least one --role');
        return 2;
      }
      const result = await engine.directory.addUser({
        username: values.username,
        password: values.password,
        displayName: values['display-name'],
        departmentId: values.department ?? null,
        roles: values.role,
      });
      console.log(`${result.created ? 'created' : 'updated'} user ${values.username} (${result.id})`);
      return 0;
    }
    let last = 0;
    const result = await engine.audit.verify(new Repositories(engine.database.reader), (checked) => {
      if (checked - last >= 100_000) process.stderr.write(`verified ${(last = checked)} entries…\n`);
    });
    if (result.ok) {
      console.log(`audit chain intact: ${result.entries} entries, head ${result.headHash}`);
      return 0;
    }
    console.log(`audit chain broken at entry ${result.firstBadSeq}: ${result.reason}`);
    return 1;
  } finally {
    await engine.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof DomainError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
