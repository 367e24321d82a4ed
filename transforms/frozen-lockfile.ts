import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'frozen-lockfile',
  title: 'Install exactly the lockfile, without dev dependencies',
  rationale: '',
  uvOnly: true,
  detect() {
    return [];
  },
});
