import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'entrypoint-scripts',
  title: 'Scripts the image runs do not call uv',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
