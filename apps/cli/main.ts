import { DomainError } from '@shenpi/domain';
import { runCli } from './cli.js';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof DomainError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
