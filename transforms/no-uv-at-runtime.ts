import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'no-uv-at-runtime',
  title: 'Start the program without uv',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
