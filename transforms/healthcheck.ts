import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'healthcheck',
  title: 'A HEALTHCHECK that works in a slim image',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
