import { createRequire } from 'node:module';
import * as autograd from '@backprop/autograd';
import * as kernels from '@backprop/kernels';
import * as nn from '@backprop/nn';
import * as optim from '@backprop/optim';

const { usage } = createRequire(import.meta.url)('./usage.cjs');
await usage({ kernels, autograd, nn, optim });
