import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'dockerignore',
  title: 'Keep secrets and local environments out of the build context',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
