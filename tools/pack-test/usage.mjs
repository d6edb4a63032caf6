import { createRequire } from 'node:module';
import * as kernels from '@backprop/kernels';

const { usage } = createRequire(import.meta.url)('./usage.cjs');
await usage({ kernels });
