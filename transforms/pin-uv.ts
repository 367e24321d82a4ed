import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'pin-uv',
  title: 'Copy a pinned uv into the image',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
