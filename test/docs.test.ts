// The README is a front page: short, and every topic it links to in docs/ exists
// (and every topic in docs/ is linked from it, so nothing moved there is lost).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const links = (text: string) => [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));

describe('README and docs/', () => {
  it('the README is at most 250 lines and starts with npm install, npm test', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    const commands = [...readme.matchAll(/^(npm|npx) [^\n#]*/gm)].map((m) => m[0].trim());
    expect(commands.slice(0, 2)).toEqual(['npm install', 'npm test']);
  });

  it('every link from the README resolves to a file', () => {
    const docs = links(readme).filter((l) => l.startsWith('docs/'));
    expect(docs.length).toBeGreaterThan(5);
    for (const l of links(readme)) expect(existsSync(join(ROOT, l)), l).toBe(true);
  });

  it('every topic in docs/ is linked from the README, and its own links resolve', () => {
    const linked = new Set(links(readme));
    for (const f of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))) {
      expect(linked.has(`docs/${f}`), `docs/${f} is not linked from README.md`).toBe(true);
      for (const l of links(readFileSync(join(ROOT, 'docs', f), 'utf8'))) expect(existsSync(join(ROOT, 'docs', l)), `docs/${f}: ${l}`).toBe(true);
    }
  });
});
