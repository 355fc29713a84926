import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is lib/local/paths.ts). */
export const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
