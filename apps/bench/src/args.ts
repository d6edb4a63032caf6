// The command line: pnpm bench [--suite gemm|elementwise|train|inference] [--runtime node|chromium] [--threads N] [--quick] [--json PATH] [--report DIR]

export const suiteNames = ['gemm', 'elementwise', 'train', 'inference'] as const;
export type SuiteName = (typeof suiteNames)[number];
export type Runtime = 'node' | 'chromium';

export interface Options {
  suites: SuiteName[];
  runtime: Runtime;
  quick: boolean;
  /** Adds the column backprop-tN: the same work on N threads (every other column stays on one). */
  threads?: number;
  json?: string;
  report?: string;
}

const usage = 'usage: pnpm bench [--suite gemm|elementwise|train|inference] [--runtime node|chromium] [--threads N] [--quick] [--json PATH] [--report DIR]';

export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    super(`${message}\n${usage}`);
  }
}

export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { suites: [...suiteNames], runtime: 'node', quick: false };
  const chosen: SuiteName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--suite': {
        const v = value();
        if (!(suiteNames as readonly string[]).includes(v)) throw new UsageError(`unknown suite '${v}' (suites: ${suiteNames.join(', ')})`);
        chosen.push(v as SuiteName);
        break;
      }
      case '--runtime': {
        const v = value();
        if (v !== 'node' && v !== 'chromium') throw new UsageError(`unknown runtime '${v}' (node or chromium)`);
        options.runtime = v;
        break;
      }
      case '--quick':
        if (inline !== undefined) throw new UsageError('--quick takes no value');
        options.quick = true;
        break;
      case '--threads': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 2) throw new UsageError(`--threads takes a whole number of threads >= 2, got '${v}'`);
        options.threads = n;
        break;
      }
      case '--json':
        options.json = value();
        break;
      case '--report':
        options.report = value();
        break;
      case '--':
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (chosen.length > 0) options.suites = chosen;
  return options;
}
