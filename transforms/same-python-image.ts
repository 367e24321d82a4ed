import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'same-python-image',
  title: 'Builder and runtime on the same Python image',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
