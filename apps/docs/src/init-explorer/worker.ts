// Runs the initialisation experiment off the page's thread (10 products of [500, 500] matrices per setting).
import { ready } from '@backprop/autograd';
import { type InitConfig, type Simulation, simulate } from './simulate';

export type InitReport = { type: 'result'; id: number; simulation: Simulation } | { type: 'error'; id: number; message: string };

onmessage = async ({ data }: MessageEvent<{ id: number; config: InitConfig }>) => {
  await ready();
  try {
    postMessage({ type: 'result', id: data.id, simulation: simulate(data.config) } satisfies InitReport);
  } catch (error) {
    postMessage({ type: 'error', id: data.id, message: error instanceof Error ? error.message : String(error) } satisfies InitReport);
  }
};
