import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import { allPackages, layers, restrictedImports } from './tools/layers.js';

const perPackage = allPackages.map((name) => ({
  files: [`${name in layers ? 'packages' : 'apps'}/${name}/**/*.{ts,js,mjs}`],
  rules: { 'no-restricted-imports': restrictedImports(name) },
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/dist/**', '**/build/**', '**/generated/**', '**/.turbo/**',
      'packages/kernels/assembly/**', '**/.vitepress/cache/**', '**/.vitepress/dist/**', 'apps/docs/docs/api/**', 'apps/docs/test/.guides/**', '.pack-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'tools/*.mjs', 'tools/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The docs' widgets: Vue's recommended rules, TypeScript in <script setup> (type-checked by vue-tsc).
  ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files: ['**/*.vue'] })),
  {
    files: ['**/*.vue'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], projectService: false } },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-undef': 'off', // TypeScript checks names (vue-tsc)
      'vue/multi-word-component-names': 'off', // widget names (Playground) are registered by the docs theme, never as HTML
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['**/scripts/**', 'tools/**', '**/*.config.*', 'apps/bench/**', 'apps/docs/test/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions the browser tests hand to page.evaluate run in the page.
    files: ['apps/docs/test/**', 'tools/browser-test.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  ...perPackage,
);
