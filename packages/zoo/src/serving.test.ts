// The zoo's models served as users serve them: no dispose() or scope(), requests in flight at once, each
// awaiting something between its forward pass and reading the result. Every answer must be right, and kernel
// memory and the tensors in it the same after warm-up and at the end.
import { memory, tensor, type MemoryReport, type Tensor } from '@backprop/autograd';
import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { deepMlp, lenet } from './index';

function expectFlat(warm: MemoryReport, end: MemoryReport): void {
  expect(end.wasmBytes, 'WASM memory').toBeLessThanOrEqual(warm.wasmBytes * 1.1);
  expect(end.liveTensors, 'live tensors').toBeLessThanOrEqual(warm.liveTensors * 1.1);
  expect(end.liveTensors, 'live tensors').toBeGreaterThanOrEqual(warm.liveTensors * 0.9);
}

async function digits(): Promise<{ images: Tensor; pixels: number[][] }> {
  const { test } = await deepMlp.split();
  const values = test.x.values();
  const pixels = Array.from({ length: 2000 }, (_, i) => Array.from(values.subarray(i * 784, (i + 1) * 784)));
  return { images: test.x, pixels };
}

for (const [name, zooModel, requests] of [['deep MLP', deepMlp, 100_000], ['lenet', lenet, 40_000]] as const) {
  describe(`the ${name}'s predict(), in a loop`, () => {
    it(`a synchronous loop of ${requests.toLocaleString('en')} predictions from arrays: every answer right, flat memory, nothing copied back in`, async () => {
      const model = await zooModel.load();
      const { images, pixels } = await digits();
      const want = Array.from(model.predict(images).values());
      let warm: MemoryReport | undefined;
      for (let i = 0; i < requests; i++) {
        const k = i % 2000;
        const got = model.predict(tensor([pixels[k]!])).item();
        if (got !== want[k]) throw new Error(`request ${i}: digit ${k} predicted ${got}, want ${want[k]}`);
        if (i === requests / 4 - 1) warm = memory();
      }
      const end = memory();
      expectFlat(warm!, end);
      // An op's own allocations never move its inputs out of kernel memory: after warm-up nothing comes back in.
      expect(end.restores - warm!.restores, 'data copied back into kernel memory after warm-up').toBe(0);
    });
  });
}

describe("the deep MLP's predict(), as a service", () => {
  it('an HTTP server on 127.0.0.1: 100,000 requests, 16 in flight, a lookup table kept for its life', async () => {
    const model = await deepMlp.load();
    const { images } = await digits(); // the lookup table: every request reads its digit from it
    const want = Array.from(model.predict(images).values());
    let served = 0;
    let warm: MemoryReport | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const k = Number(new URL(req.url!, 'http://localhost').searchParams.get('digit'));
        const logits = model.model.forward(images.indexSelect([k])); // recording gradients, as a naive server does
        await new Promise((resolve) => setImmediate(resolve)); // other requests run here
        const ids = model.predict(images.indexSelect([k]));
        await new Promise((resolve) => setTimeout(resolve, 0));
        res.end(JSON.stringify({ id: ids.item(), top: logits.argmax(1).item() }));
        if (++served === 20_000) warm = memory();
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const get = (k: number): Promise<string> =>
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: `/predict?digit=${k}`, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body}`))));
        }).on('error', reject).end();
      });
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < 100_000) {
          const i = next++;
          const k = (i * 7919) % 2000;
          const answer = JSON.parse(await get(k)) as { id: number; top: number };
          if (answer.id !== want[k] || answer.top !== want[k]) throw new Error(`request ${i}: digit ${k} answered ${JSON.stringify(answer)}, want ${want[k]}`);
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
    } finally {
      agent.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    }
    expect(served).toBe(100_000);
    expectFlat(warm!, memory());
  }); // about 30 s on an idle machine (the shared timeout is generous); nothing about speed is asserted
});
