// The synthesized template, cached by content: synthesizing the CDK app (with cdk-nag) takes seconds, so
// `npm start` keeps the last template in `.local/template-cache/<hash>.json` and synthesizes again only when a file
// that can change it changed (lib/ outside lib/local, functions/, schemas/, data/, bin/app.ts, cdk.json,
// package-lock.json). `--fresh` (or `fresh: true`) always synthesizes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CfnTemplate } from './template-model.ts';

const INPUTS = ['lib', 'functions', 'schemas', 'data', 'bin/app.ts', 'cdk.json', 'package-lock.json'];

export function templateInputsHash(projectDir: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const input of INPUTS) {
    const p = join(projectDir, input);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p, { recursive: true, encoding: 'utf8' })) {
        const full = join(p, f);
        if (full.startsWith(join(projectDir, 'lib', 'local') + sep) || !statSync(full).isFile()) continue;
        files.push(full);
      }
    } else files.push(p);
  }
  for (const f of files.sort()) {
    hash.update(relative(projectDir, f));
    hash.update('\0');
    hash.update(readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

export async function loadTemplate(projectDir: string, opts: { fresh?: boolean } = {}): Promise<{ template: CfnTemplate; cached: boolean }> {
  const dir = join(projectDir, '.local', 'template-cache');
  const file = join(dir, `${templateInputsHash(projectDir)}.json`);
  if (!opts.fresh && existsSync(file)) return { template: JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate, cached: true };
  const { synthTemplate } = await import('../template.ts');
  const template = synthTemplate() as unknown as CfnTemplate;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(template));
  return { template, cached: false };
}
