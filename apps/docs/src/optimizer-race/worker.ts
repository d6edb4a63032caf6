// Runs the optimiser race off the page's thread.
import { ready } from '@backprop/autograd';
import { type Path, type Runner, contourGrid, race } from './race';
import { type SurfaceName } from './surfaces';

export interface RaceRequest { id: number; surface: SurfaceName; runners: Runner[]; steps: number; gridSize: number }
export type RaceReport = { type: 'result'; id: number; paths: Path[]; grid: Float32Array } | { type: 'error'; id: number; message: string };

onmessage = async ({ data }: MessageEvent<RaceRequest>) => {
  await ready();
  try {
    const grid = contourGrid(data.surface, data.gridSize);
    postMessage({ type: 'result', id: data.id, paths: race(data.surface, data.runners, data.steps), grid } satisfies RaceReport);
  } catch (error) {
    postMessage({ type: 'error', id: data.id, message: error instanceof Error ? error.message : String(error) } satisfies RaceReport);
  }
};
