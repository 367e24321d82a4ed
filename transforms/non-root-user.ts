import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'non-root-user',
  title: 'Run as a numeric non-root user',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
