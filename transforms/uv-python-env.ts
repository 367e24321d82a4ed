import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'uv-python-env',
  title: "Make uv use the image's Python",
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
