// The guides' code runs as written. Each page's ts blocks (except those marked no-run) become one module, in
// page order like a notebook; a line `console.log(expr); // → text` asserts that expr prints as text.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const guides = new URL('../docs/guide/', import.meta.url);
const out = new URL('./.guides/', import.meta.url);
mkdirSync(out, { recursive: true });

function extract(markdown: string): { source: string; checks: number } {
  const blocks = [...markdown.matchAll(/^```(?:ts|js)([^\n]*)\n([\s\S]*?)^```/gm)].filter((m) => !m[1]!.includes('no-run')).map((m) => m[2]!);
  let checks = 0;
  const body = blocks.join('\n').split('\n').map((line, i) => {
    const m = /^(\s*)console\.log\((.*)\);\s*\/\/ → (.*)$/.exec(line);
    if (!m) return line;
    checks++;
    return `${m[1]}__expect(${m[2]}, ${JSON.stringify(m[3]!.trim())}, ${i + 1});`;
  });
  return { source: [`import { __expect } from '../doc-expect.ts';`, ...body].join('\n'), checks };
}

describe('the guides run as written and print what they say', () => {
  for (const file of readdirSync(guides).filter((f) => f.endsWith('.md')).sort()) {
    it(file, async () => {
      const { source, checks } = extract(readFileSync(new URL(file, guides), 'utf8'));
      expect(checks, `${file} shows no printed result`).toBeGreaterThan(0);
      const module = new URL(`${file.replace(/\.md$/, '')}.ts`, out);
      writeFileSync(module, source);
      await import(/* @vite-ignore */ module.href);
    });
  }
});
