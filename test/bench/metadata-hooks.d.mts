/** Compiles what an API process will load into the loader's cache; returns how many files were compiled. */
export function warmTranspileCache(): Promise<number>;
