import { chainVariants, shippedChains } from './index.js';

/** A shipped chain as the JSON file it also ships as (to read, edit, or publish with `chain publish --file`). */
export interface ChainJsonFile {
  /** Relative to the repository root: `workflows/<chain>/<key>.chain.json`, a variant beside the chain it varies. */
  path: string;
  text: string;
}

/**
 * Each shipped chain and variant, generated from its TypeScript definition (the source of truth):
 * `npm run chains:json` writes them, and `chain-json.spec.ts` fails when one is not what it writes.
 */
export function chainJsonFiles(): ChainJsonFile[] {
  const file = (folder: string, definition: unknown): ChainJsonFile => {
    const { key } = definition as { key: string };
    return { path: `workflows/${folder}/${key}.chain.json`, text: `${JSON.stringify(definition, null, 2)}\n` };
  };
  return [
    ...shippedChains.map((definition) => file((definition as { key: string }).key, definition)),
    ...Object.values(chainVariants).map((variant) => file(variant.of, variant.definition)),
  ];
}

/** `*.chain.json` in a folder of `workflows/`, as `chainJsonFiles` names them. */
export const CHAIN_JSON = /^workflows\/[^/]+\/[^/]+\.chain\.json$/;
