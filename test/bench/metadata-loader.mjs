// `node --import tsx --import ./test/bench/metadata-loader.mjs`: tsx resolves the project's
// TypeScript (paths, .js → .ts), and these hooks compile it with TypeScript's own transpiler, which
// emits decorator metadata (esbuild, under tsx, does not): NestJS needs it to inject constructor
// parameters. What ts-jest does for the e2e suites, for the bench's API process.
import { register } from 'node:module';

register('./metadata-hooks.mjs', import.meta.url);
