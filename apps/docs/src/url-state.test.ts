import { describe, expect, it } from 'vitest';
import { playgroundSchema } from './playground/schema';
import { readState, writeState } from './url-state';

describe('widget state in the URL', () => {
  it('reads the defaults from an empty query and writes nothing back', () => {
    const { state, problems } = readState(playgroundSchema, '');
    expect(state.dataset).toBe('circle');
    expect(state.hidden).toEqual([4, 2]);
    expect(problems).toEqual([]);
    expect(writeState(playgroundSchema, state)).toBe('');
  });

  it('round-trips a shared setup', () => {
    const query = '?dataset=spiral&noise=20&features=x1%2Cx2%2CsinX1&hidden=8%2C8%2C4&activation=relu&lr=0.01';
    const { state, problems } = readState(playgroundSchema, query);
    expect(problems).toEqual([]);
    expect(state).toMatchObject({ dataset: 'spiral', noise: 20, features: ['x1', 'x2', 'sinX1'], hidden: [8, 8, 4], activation: 'relu', lr: 0.01 });
    expect(writeState(playgroundSchema, state)).toBe(query);
    state.hidden = [];
    expect(writeState(playgroundSchema, state)).toContain('hidden=&');
    expect(readState(playgroundSchema, writeState(playgroundSchema, state)).state.hidden).toEqual([]);
  });

  it('names every value it rejects and falls back to the default', () => {
    const { state, problems } = readState(playgroundSchema, '?dataset=moons&noise=abc&lr=-1&hidden=4,99&features=x3&batchSize=2.5&colour=red');
    expect(problems).toEqual([
      'dataset=moons is not one of circle, xor, gaussian, spiral',
      'noise=abc is not a number',
      'features: unknown x3 (x1, x2, x1Squared, x2Squared, x1x2, sinX1, sinX2)',
      'hidden: each value must be an integer in [1, 8]',
      'lr=-1 is outside [0.00001, 10]',
      'batchSize=2.5 is not an integer',
      "unknown setting 'colour'",
    ]);
    expect(state).toMatchObject({ dataset: 'circle', noise: 0, lr: 0.03, hidden: [4, 2], features: ['x1', 'x2'], batchSize: 10 });
  });

  it('gives each reader its own copy of list defaults', () => {
    const a = readState(playgroundSchema, '').state;
    a.hidden.push(3);
    expect(readState(playgroundSchema, '').state.hidden).toEqual([4, 2]);
  });
});
