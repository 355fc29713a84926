#!/usr/bin/env node
// The `ace-filing` executable (package.json "bin"): registers tsx so the TypeScript sources run as they are,
// with no build step, right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./cli.ts');
await run();
