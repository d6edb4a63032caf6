import { createRequire } from 'node:module';
import * as autograd from '@backprop/autograd';
import * as data from '@backprop/data';
import * as kernels from '@backprop/kernels';
import * as nn from '@backprop/nn';
import * as optim from '@backprop/optim';
import * as zoo from '@backprop/zoo';

const { usage } = createRequire(import.meta.url)('./usage.cjs');
await usage({ kernels, autograd, nn, optim, data, zoo });
