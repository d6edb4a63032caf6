import { type Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { defineAsyncComponent } from 'vue';
import './widgets.css';

// Widgets load on demand: a guide page without one never downloads the kernels.
export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('Playground', defineAsyncComponent(() => import('../../../src/playground/Playground.vue')));
    app.component('BackpropExplorer', defineAsyncComponent(() => import('../../../src/explorer/BackpropExplorer.vue')));
    app.component('InitExplorer', defineAsyncComponent(() => import('../../../src/init-explorer/InitExplorer.vue')));
    app.component('ActivationPlots', defineAsyncComponent(() => import('../../../src/activation-plots/ActivationPlots.vue')));
    app.component('DrawDigit', defineAsyncComponent(() => import('../../../src/draw-digit/DrawDigit.vue')));
    app.component('OptimizerRace', defineAsyncComponent(() => import('../../../src/optimizer-race/OptimizerRace.vue')));
  },
} satisfies Theme;
