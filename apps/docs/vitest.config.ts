export { default } from '../../tools/vitest.shared.ts';
