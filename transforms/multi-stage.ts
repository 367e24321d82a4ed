import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'multi-stage',
  title: 'Build in a builder stage, run in a slim runtime stage',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
