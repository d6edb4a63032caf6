import { createRequire } from 'node:module';
import * as autograd from '@backprop/autograd';
import * as kernels from '@backprop/kernels';

const { usage } = createRequire(import.meta.url)('./usage.cjs');
await usage({ kernels, autograd });
