import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'dependency-layer',
  title: 'Install dependencies in their own cached layer',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
