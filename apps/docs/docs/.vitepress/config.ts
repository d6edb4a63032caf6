import { defineConfig } from 'vitepress';
import typedocSidebar from '../api/typedoc-sidebar.json' with { type: 'json' };

const guides: [string, string][] = [
  ['Install one package', 'install'],
  ['Tensors and the tape', 'tensors'],
  ['Logistic regression and XOR', 'logistic-regression'],
  ['The XOR MLP', 'xor-mlp'],
  ['Backpropagation as the chain rule', 'backpropagation'],
  ['Activations', 'activations'],
  ['Weight initialisation', 'initialisation'],
  ['Optimisers and learning-rate decay', 'optimizers'],
  ['Training and monitoring', 'training'],
  ['Saving and loading', 'saving'],
  ['The model zoo', 'zoo'],
  ['Contributing a kernel', 'contributing-a-kernel'],
];
const widgets: [string, string][] = [
  ['Playground', 'playground'],
  ['Backprop explorer', 'backprop-explorer'],
  ['Initialisation explorer', 'init-explorer'],
  ['Optimiser race', 'optimizer-race'],
];

export default defineConfig({
  title: 'backprop',
  description: 'Train and run neural networks in JavaScript, with WebAssembly SIMD kernels.',
  cleanUrls: true,
  lastUpdated: false,
  // Everything is served from the site itself: no CDN, no web fonts from elsewhere, works offline.
  head: [['link', { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }]],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/install' },
      { text: 'Widgets', link: '/widgets/playground' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: {
      '/guide/': [{ text: 'The course', items: guides.map(([text, link]) => ({ text, link: `/guide/${link}` })) }],
      '/widgets/': [{ text: 'Widgets', items: widgets.map(([text, link]) => ({ text, link: `/widgets/${link}` })) }],
      '/api/': [{ text: 'API reference', items: typedocSidebar }],
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // Widgets and guides run the packages' TypeScript sources (the workspace's export condition).
    resolve: { conditions: ['@backprop/source'] },
    ssr: { resolve: { conditions: ['@backprop/source'], externalConditions: ['@backprop/source'] } },
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 2000 },
  },
});
