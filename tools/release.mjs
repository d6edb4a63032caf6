// `pnpm release [--dry-run]`: build, check the packages as users get them, then publish every public package
// whose version is not on the registry yet.
import { execFileSync } from 'node:child_process';

const dryRun = process.argv.includes('--dry-run');
const sh = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

sh('pnpm', ['build']);
sh('node', ['tools/pack-test.mjs']);
sh('pnpm', ['publish', '-r', '--access', 'public', '--no-git-checks', ...(dryRun ? ['--dry-run'] : [])]);
