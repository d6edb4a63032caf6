// The packaging test: for every public package, `pnpm pack`, then publint and attw on the tarball; then
// install the tarballs with plain npm into fresh projects outside the workspace and use them as a user would,
// from ESM and from CJS: each package alone (with only its declared dependencies), then all together.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const work = mkdtempSync(join(tmpdir(), 'backprop-pack-'));
const tarballs = new Map();
let failures = 0;

for (const { dir, manifest } of packages) {
  run('pnpm', ['pack', '--pack-destination', work], dir);
  const file = join(work, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`);
  tarballs.set(manifest.name, file);
  console.log(`packed ${manifest.name}`);
  run(bin('publint'), ['run', file, '--strict'], root);
  // Binary assets exported as subpaths (the .wasm modules) are files, not modules: attw checks the rest.
  const assets = Object.keys(manifest.exports).filter((key) => /\.(wasm|safetensors|bin)$/.test(key)).map((key) => key.slice(2));
  const attwArgs = [file, '--format', 'table-flipped'];
  if (assets.length > 0) attwArgs.push('--exclude-entrypoints', ...assets);
  run(bin('attw'), attwArgs, root);
  console.log(`publint and attw clean: ${manifest.name}`);
}

/** Internal dependencies, transitively: the tarballs a package needs besides itself. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const manifest = packages.find((p) => p.manifest.name === name).manifest;
  for (const dep of Object.keys(manifest.dependencies ?? {})) if (tarballs.has(dep)) closure(dep, seen);
  return seen;
}

function project(label, names) {
  const cwd = join(work, label);
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: `pack-test-${label}`, private: true, version: '0.0.0' }));
  const files = [...new Set(names.flatMap((n) => [...closure(n)]))].map((n) => tarballs.get(n));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], cwd);
  cpSync(join(root, 'tools', 'pack-test'), cwd, { recursive: true });
  return cwd;
}

function check(label, cwd, args) {
  try {
    const out = run('node', args, cwd);
    process.stdout.write(out.split('\n').map((l) => (l ? `  ${label}: ${l}` : l)).join('\n'));
  } catch (error) {
    failures++;
    if (error.stdout) process.stdout.write(error.stdout.split('\n').map((l) => (l ? `  ${label}: ${l}` : l)).join('\n'));
    console.error(`FAILED ${label}: ${error.message}`);
  }
}

for (const name of tarballs.keys()) {
  const cwd = project(name.split('/')[1], [name]);
  check(`${name} alone, ESM`, cwd, ['-e', `import(${JSON.stringify(name)}).then(m => console.log(Object.keys(m).length + ' exports'))`]);
  check(`${name} alone, CJS`, cwd, ['-e', `console.log(Object.keys(require(${JSON.stringify(name)})).length + ' exports')`]);
}

const all = project('all', [...tarballs.keys()]);
check('all, ESM', all, ['usage.mjs']);
check('all, CJS', all, ['usage.cjs']);
check('ESM and CommonJS builds in one process', all, ['dual.mjs']);
// The published .d.ts files compile where only Node's types exist (lib es2022, types node: no DOM).
writeFileSync(join(all, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    lib: ['es2022'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], module: 'nodenext',
    moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false,
  },
  files: ['node-types.ts'],
}));
check('types under a Node-only tsconfig', all, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
check('browsers', all, [join(root, 'tools', 'browser-test.mjs'), all]);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'esbuild@0.27'], all);
check('size', all, ['size.mjs']);

if (process.env.BACKPROP_KEEP_PACK) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`pack test: ${failures} check(s) failed`);
  process.exit(1);
}
console.log('pack test: every package packs, lints clean, installs alone and works from ESM and CJS');
